/**
 * Whether this process is `npm start`'s Node server (app/_server/node-server.ts) rather than
 * `next start` or a Vercel-style host. On globalThis: the Node server's bundle and Next's bundles
 * are separate module graphs in one process.
 */
const NODE_SERVER = Symbol.for("server-events.node-server");

type Marked = typeof globalThis & { [NODE_SERVER]?: boolean };

/** Called by the Node server before Next loads. */
export function markNodeServer(): void {
  (globalThis as Marked)[NODE_SERVER] = true;
}

export function isNodeServer(): boolean {
  return (globalThis as Marked)[NODE_SERVER] === true;
}
