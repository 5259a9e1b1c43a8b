/**
 * Endpoints moved by SSE_*_PATH (docs/protocol.md, "Endpoints"): `npm start` serves them where
 * they were moved, and says so to clients (cmd.onConnect) and to its pages (a <meta>); `next
 * start`, whose App Router folders stay at ServiceStack's paths, refuses to start with one moved.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveMode, startNextServer, type NextServer } from "./support/next-server";
import { openSse } from "./support/sse";

const moved = { SSE_STREAM_PATH: "/sse", SSE_HEARTBEAT_PATH: "/beat", SSE_SUBSCRIBERS_PATH: "off" };

describe.runIf(serveMode() === "node")("moved endpoint paths under npm start", () => {
  let server: NextServer;

  beforeAll(async () => {
    server = await startNextServer({ env: moved, waitUntil: "live" });
  });

  afterAll(() => server?.stop());

  it("serves the stream and heartbeats where they were moved, and nothing at the old paths", async () => {
    const stream = await openSse(`${server.baseUrl}/sse?channels=home`);
    try {
      const info = JSON.parse((await stream.next()).json) as Record<string, string>;
      expect(info.heartbeatUrl).toBe(`${server.baseUrl}/beat?id=${info.id}`);
      expect((await fetch(info.heartbeatUrl!, { method: "POST" })).status).toBe(200);
      expect(info.unRegisterUrl).toBe(`${server.baseUrl}/event-unregister?id=${info.id}`);
      expect(info).not.toHaveProperty("updateSubscriberUrl");
    } finally {
      stream.close();
    }
    for (const path of [
      "/event-stream?channels=home",
      "/event-heartbeat?id=x",
      "/event-subscribers",
    ])
      expect((await fetch(`${server.baseUrl}${path}`)).status, path).toBe(404);
  });

  it("tells its pages where the stream is", async () => {
    const page = await (await fetch(`${server.baseUrl}/chat`)).text();
    expect(page).toMatch(/<meta name="server-events-stream-path" content="\/sse"\/?>/u);
  });
});

describe.runIf(serveMode() === "next")("moved endpoint paths under next start", () => {
  it("refuses to start, naming each moved path", async () => {
    await expect(
      startNextServer({ env: moved, waitUntil: "live", startupTimeoutMs: 60_000 }),
    ).rejects.toThrow(/SSE_STREAM_PATH: \/sse is served by npm start only/u);
  });
});
