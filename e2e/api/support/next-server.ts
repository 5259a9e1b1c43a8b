import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { isBehindNginx, startNginx } from "./nginx";
import { endGroup, hasExited, spawnGroup } from "./process-group";

/** The repository root (this file is `e2e/api/support/next-server.ts`). */
export const projectRoot = path.resolve(import.meta.dirname, "../../..");

export interface StartNextServerOptions {
  /**
   * Environment of the server, on top of this process's environment minus the app's own
   * variables (`SSE_*`, `REDIS_URL`, `REDIS_KEY_PREFIX`, `DATABASE_URL`, `DATABASE_LISTEN_URL`,
   * `INSTANCE_ID`, `METRICS_TOKEN`), so that nothing set in the developer's shell changes what the
   * tests see. `undefined` values are left out.
   */
  env?: Record<string, string | undefined>;
  /**
   * Where the tests reach the server (nginx's port with `E2E_PROXY=nginx`).
   * @default a free port chosen by the OS
   */
  port?: number;
  /** How long to wait for the server to answer. @default 60000 */
  startupTimeoutMs?: number;
  /**
   * What counts as started: `ready`, an answer below 500 from `/event-subscribers` (the provider
   * is up); or `live`, a 200 from `/healthz` (the process serves, its database may be down).
   * @default "ready"
   */
  waitUntil?: "ready" | "live";
}

export interface NextServer {
  /** `http://127.0.0.1:{port}`, without a trailing slash. */
  baseUrl: string;
  port: number;
  /** What the server printed so far (stdout and stderr), for diagnostics. */
  output(): string;
  /** Kills the server (SIGTERM, then SIGKILL after 5 s) and waits for it to exit. Idempotent. */
  stop(): Promise<void>;
  /**
   * Sends `signal` to the server's process group at once (`SIGKILL` for a crash, `SIGTERM` for a
   * graceful shutdown) and waits for it to exit; SIGKILL after 15 s if it is still running.
   */
  kill(signal: NodeJS.Signals): Promise<void>;
  /** Whether the process has exited. */
  hasExited(): boolean;
}

const appVariables =
  /^(SSE_|REDIS_URL$|REDIS_KEY_PREFIX$|DATABASE_URL$|DATABASE_LISTEN_URL$|INSTANCE_ID$|METRICS_TOKEN$|PORT$|HOSTNAME$)/u;
const nextBin = path.join(projectRoot, "node_modules", "next", "dist", "bin", "next");
/** What `npm start` runs (app/_server/node-server.ts, bundled by `npm run build`). */
export const nodeServerBundle = path.join(projectRoot, ".next", "fast-server", "server.mjs");

/**
 * How the app is served: `node` (default) is `npm start`, the one-process Node server whose own
 * `http` server answers the Server Events endpoints; `next` is `next start`, where the App Router
 * route handlers answer them. SERVE_MODE chooses it for every suite that starts servers.
 */
export type ServeMode = "node" | "next";

export function serveMode(): ServeMode {
  const mode = process.env.SERVE_MODE || "node";
  if (mode !== "node" && mode !== "next")
    throw new Error(`SERVE_MODE must be "node" or "next", got ${JSON.stringify(mode)}`);
  return mode;
}

/** The command line that serves the build on 127.0.0.1:`port` in `mode`, and its environment. */
export function serverCommand(
  port: number,
  mode: ServeMode = serveMode(),
): { args: string[]; env: Record<string, string> } {
  return mode === "node"
    ? { args: [nodeServerBundle], env: { HOSTNAME: "127.0.0.1", PORT: String(port) } }
    : { args: [nextBin, "start", "-H", "127.0.0.1", "-p", String(port)], env: {} };
}

/** A random token of `length` URL-safe characters (e.g. for `SSE_ADMIN_TOKEN`). */
export function randomToken(length = 32): string {
  return randomBytes(Math.ceil((length * 3) / 4))
    .toString("base64url")
    .slice(0, length);
}

/** A port that was free a moment ago (the OS picks it). */
export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error("no port assigned"))));
    });
  });
}

/** Throws a readable error when `npm run build` has not been run. */
export function assertBuilt(mode: ServeMode = serveMode()): void {
  if (!existsSync(path.join(projectRoot, ".next", "BUILD_ID")))
    throw new Error(
      `No production build in ${path.join(projectRoot, ".next")} (.next/BUILD_ID is missing). ` +
        "Run `npm run build` before `npm run test:integration`.",
    );
  if (mode === "node" && !existsSync(nodeServerBundle))
    throw new Error(
      `No Node server bundle (${path.relative(projectRoot, nodeServerBundle)} is missing): ` +
        "run `npm run build` (or `npm run build:node-server`), or set SERVE_MODE=next.",
    );
}

/**
 * Starts the app on 127.0.0.1 from the existing `.next` build — `npm start`'s Node server, or
 * `next start` with SERVE_MODE=next — and resolves once it answers HTTP. Several servers may run at once (different ports, different env). When no port is given
 * and the chosen one was taken meanwhile, it retries with another.
 */
export async function startNextServer(options: StartNextServerOptions = {}): Promise<NextServer> {
  assertBuilt();
  if (isBehindNginx()) return startBehindNginx(options);
  return startDirect(options);
}

/**
 * The app on a port of its own, and nginx (compose.yaml's configuration) on the public port: the
 * same NextServer, reached only through the proxy. Killing or stopping the app stops its nginx,
 * so a dead instance refuses connections as it would without one.
 */
async function startBehindNginx(options: StartNextServerOptions): Promise<NextServer> {
  const publicPort = options.port ?? (await findFreePort());
  const app = await startDirect({ ...options, port: undefined });
  const nginx = await startNginx([`127.0.0.1:${app.port}`], publicPort).catch(async (error) => {
    await app.stop();
    throw error;
  });
  return {
    ...app,
    baseUrl: nginx.baseUrl,
    port: publicPort,
    output: () => `${app.output()}\n--- nginx ---\n${nginx.output()}`,
    stop: async () => {
      await app.stop();
      await nginx.stop();
    },
    kill: async (signal) => {
      await app.kill(signal);
      // Its clients' reconnect attempts would hold a graceful stop for seconds.
      await nginx.stop({ fast: true });
    },
  };
}

async function startDirect(options: StartNextServerOptions): Promise<NextServer> {
  const attempts = options.port === undefined ? 3 : 1;
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const port = options.port ?? (await findFreePort());
    try {
      return await launch(port, options);
    } catch (error) {
      lastError = error;
      if (!(error instanceof PortInUseError)) throw error;
    }
  }
  throw lastError;
}

class PortInUseError extends Error {}

async function launch(port: number, options: StartNextServerOptions): Promise<NextServer> {
  const env: NodeJS.ProcessEnv = { NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" };
  for (const [key, value] of Object.entries(process.env))
    if (value !== undefined && !appVariables.test(key) && key !== "NODE_ENV") env[key] = value;
  for (const [key, value] of Object.entries(options.env ?? {}))
    if (value !== undefined) env[key] = value;

  const command = serverCommand(port);
  const group = spawnGroup(command.args, projectRoot, { ...env, ...command.env });
  const { child, exited } = group;

  let output = "";
  const append = (chunk: Buffer) => {
    output += chunk.toString("utf8");
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout?.on("data", append);
  child.stderr?.on("data", append);

  const baseUrl = `http://127.0.0.1:${port}`;
  let stopping: Promise<void> | undefined;
  const server: NextServer = {
    baseUrl,
    port,
    output: () => output,
    stop: () => (stopping ??= endGroup(group, "SIGTERM", 5_000)),
    kill: (signal) => endGroup(group, signal, 15_000),
    hasExited: () => hasExited(child),
  };

  try {
    await waitUntilAnswering(
      options.waitUntil === "live" ? `${baseUrl}/healthz` : `${baseUrl}/event-subscribers`,
      exited,
      options.startupTimeoutMs ?? 60_000,
    );
  } catch (error) {
    await server.stop();
    if (/EADDRINUSE/u.test(output)) throw new PortInUseError(`port ${port} is in use`);
    throw new Error(
      `${serveMode()} server on port ${port} failed: ${error instanceof Error ? error.message : String(error)}\n--- server output ---\n${output.slice(-4000)}`,
    );
  }
  return server;
}

async function waitUntilAnswering(
  url: string,
  exited: Promise<number | null>,
  timeoutMs: number,
): Promise<void> {
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code ?? -1));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`the server exited with code ${exitCode}`);
    try {
      const response = await fetch(url, {
        signal: AbortSignal.timeout(5_000),
      });
      await response.body?.cancel();
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no answer within ${timeoutMs} ms`);
}
