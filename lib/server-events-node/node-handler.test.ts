/** The Node handler's streams: what it sends, whom it believes, and how it counts and closes them. */
import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { nodeHandlerPerTest } from "./testing/node-handler-fixture";

const node = nodeHandlerPerTest();

describe("the Node server's Server Events endpoints", () => {
  it("streams with the event-stream headers, cmd.onConnect first, URLs on this host", async () => {
    const { response, frames, info } = await node.connect("channels=a,b");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    expect(response.headers.get("cache-control")).toBe("private, no-cache, no-store, no-transform");
    expect(info.heartbeatUrl).toBe(`${node.base}/event-heartbeat?id=${info.id}`);
    expect((await frames.next()).selector).toBe("cmd.onJoin");
    expect(node.logged.map((entry) => [entry.route, entry.status])).toEqual([
      ["event-stream", 200],
    ]);
  });

  it("sends the head, cmd.onConnect and the joiner's own onJoin together, not the onJoin after presence's wait", async () => {
    const controller = new AbortController();
    node.track(controller);
    const response = await fetch(`${node.base}/event-stream?channels=a`, {
      signal: controller.signal,
    });
    const first = await response.body!.getReader().read();
    const text = new TextDecoder().decode(first.value);
    expect(text).toContain("cmd.onConnect");
    expect(text).toContain("a@cmd.onJoin");
  });

  it("pulses on a heartbeat: 200 and cmd.onHeartbeat on the stream; 404 with the reason for an unknown id", async () => {
    const { frames, info } = await node.connect("channels=a");
    await frames.next(); // onJoin
    const pulse = await fetch(info.heartbeatUrl!, { method: "POST" });
    expect(pulse.status).toBe(200);
    expect((await frames.next()).selector).toBe("cmd.onHeartbeat");
    const missing = await fetch(`${node.base}/event-heartbeat?id=nope`);
    expect(missing.status).toBe(404);
    expect(missing.statusText).toBe("Subscription 'nope' does not exist");
    expect(await missing.json()).toMatchObject({ responseStatus: { errorCode: "NotFound" } });
  });

  it("sees the forwarded headers Next's server would add: the peer's address unless a proxy sent one", async () => {
    const direct = await node.connect();
    expect((await node.events.getSubscriptionInfo(direct.info.id!))?.userAddress).toBe("127.0.0.1");
    const proxied = await node.connect("", { "x-forwarded-for": "203.0.113.7, 10.0.0.1" });
    expect((await node.events.getSubscriptionInfo(proxied.info.id!))?.userAddress).toBe(
      "203.0.113.7",
    );
  });

  it("gives services the forwarded-for the server settled, not the one the client wrote", async () => {
    await node.restart({}, undefined, "never");
    const forwardedFor = async (headers: Record<string, string> = {}) => {
      const response = await fetch(`${node.base}/api/ForwardedFor`, { method: "POST", headers });
      return ((await response.json()) as { forwardedFor: string | null }).forwardedFor;
    };
    expect(await forwardedFor()).toBe("127.0.0.1");
    // Not believed from this peer: the peer's address is appended, and is the one that counts.
    expect(await forwardedFor({ "x-forwarded-for": "203.0.113.7" })).toBe("203.0.113.7, 127.0.0.1");
  });

  it("unregisters a subscriber whose connection closes", async () => {
    const { info, controller } = await node.connect();
    expect(await node.events.getSubscriptionInfo(info.id!)).not.toBeNull();
    controller.abort();
    await expect.poll(() => node.events.localCount).toBe(0);
  });

  it("unregisters streams pipelined on one connection when it closes, first in line or not", async () => {
    const { port } = new URL(node.base);
    const socket = connect(Number(port), "127.0.0.1");
    await new Promise((resolve) => socket.once("connect", resolve));
    const request = "GET /event-stream?channels=pipe HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    socket.write(request.repeat(5));
    await expect.poll(() => node.events.localCount).toBe(5);
    socket.destroy();
    await expect.poll(() => node.events.localCount).toBe(0);
  });

  it("counts a guest's streams, refuses one past the limit with 429, and frees a place when one closes", async () => {
    node.callers.set("guest", { isAuthenticated: false, userId: "guest-g1", sessionId: "g1" });
    const streams = [];
    for (let i = 0; i < 50; i++)
      streams.push(await node.connect("channels=a", { "x-user": "guest" }));
    const refused = await fetch(`${node.base}/event-stream?channels=a`, {
      headers: { "x-user": "guest" },
    });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("2");
    streams[0]!.controller.abort();
    await expect
      .poll(async () => {
        const retry = await fetch(`${node.base}/event-stream?channels=a`, {
          headers: { "x-user": "guest" },
        });
        await retry.body?.cancel();
        return retry.status;
      })
      .toBe(200);
  });

  it("keeps heartbeats to the subscription's owner", async () => {
    node.callers.set("guest-a", { isAuthenticated: false, sessionId: "guest-session-a" });
    node.callers.set("guest-b", { isAuthenticated: false, sessionId: "guest-session-b" });
    const { info } = await node.connect("channels=a", { "x-user": "guest-a" });
    const url = info.heartbeatUrl!;
    expect((await fetch(url, { headers: { "x-user": "guest-b" } })).status).toBe(403);
    expect((await fetch(url)).status).toBe(403);
    expect((await fetch(url, { headers: { "x-user": "guest-a" } })).status).toBe(200);
  });
});
