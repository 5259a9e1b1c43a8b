/**
 * A rolling restart as a client sees it (docs/deploy.md): a publish still being sent when SIGTERM
 * arrives is answered and delivered before the streams end, and new streams are refused
 * meanwhile. Memory provider, both serve modes (SERVE_MODE).
 */
import { Agent, request as httpRequest } from "node:http";
import { afterEach, expect, it } from "vitest";
import { randomToken, startNextServer, type NextServer } from "./support/next-server";
import { openSse, type SseStream } from "./support/sse";
import { waitFor } from "./support/wait";

const servers: NextServer[] = [];
const streams: SseStream[] = [];

afterEach(async () => {
  for (const stream of streams.splice(0)) stream.close();
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});

/**
 * A POST whose body goes out in two halves, on `agent`'s connection: `finish()` sends the rest and
 * resolves the status.
 */
function halfSentPost(server: NextServer, agent: Agent, path: string, body: string) {
  const bytes = Buffer.from(body);
  const half = Math.floor(bytes.byteLength / 2);
  let status: Promise<number> | undefined;
  const req = httpRequest({
    host: "127.0.0.1",
    port: server.port,
    method: "POST",
    path,
    agent,
    // The server answers 100 Continue once it has the head and has handed the request on: then
    // the request is certainly in progress when shutdown begins.
    headers: {
      "content-type": "application/json",
      "content-length": String(bytes.byteLength),
      expect: "100-continue",
    },
  });
  const started = new Promise<void>((resolve) => req.once("continue", () => resolve()));
  const answered = new Promise<number>((resolve, reject) => {
    req.on("response", (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
  });
  req.flushHeaders();
  return {
    /** Resolves once the server took the head and the first half is on its way. */
    async started(): Promise<void> {
      await started;
      req.write(bytes.subarray(0, half));
    },
    finish(): Promise<number> {
      status ??= (req.end(bytes.subarray(half)), answered);
      return status;
    },
  };
}

it("answers and delivers a publish that was still being sent when SIGTERM came", async () => {
  const server = await startNextServer({ env: { SSE_SHUTDOWN_TIMEOUT_MS: "15000" } });
  servers.push(server);
  const channel = `restart-${randomToken(6)}`;
  const stream = await openSse(`${server.baseUrl}/event-stream?channels=${channel}`);
  streams.push(stream);
  const [connect] = await stream.until("cmd.onConnect");
  const { id } = JSON.parse(connect!.json) as { id: string };

  // A connection the server has certainly accepted: a request on it was answered. The publish
  // then goes out on it, so that shutdown finds it mid-request, not still in the listen backlog.
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const health = await new Promise<number>((resolve, reject) =>
    httpRequest({ host: "127.0.0.1", port: server.port, path: "/healthz", agent }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    })
      .on("error", reject)
      .end(),
  );
  expect(health).toBe(200);
  const publish = halfSentPost(
    server,
    agent,
    `/channels/${channel}/raw`,
    JSON.stringify({ from: id, selector: "cmd.lastWords", message: "sent during shutdown" }),
  );
  await publish.started();
  const exited = server.kill("SIGTERM");
  // Draining has begun once new streams are refused: a 503 under `next start`, no connection
  // at all from `npm start`'s server, which stops listening at once.
  await waitFor(async () => {
    const refused = await fetch(`${server.baseUrl}/event-stream?channels=${channel}`).catch(
      () => null,
    );
    await refused?.body?.cancel();
    return refused === null || refused.status === 503;
  });

  expect(await publish.finish()).toBe(200);
  const frames = await stream.until("cmd.lastWords");
  expect(frames.at(-1)?.json).toBe('"sent during shutdown"');
  await stream.ended;
  await exited;
  agent.destroy();
});
