/** What the Node handler serves besides streams (the Fetch handlers, extra routes, hooks, moved paths) and what it passes on. */
import { describe, expect, it, vi } from "vitest";
import { nodeHandlerPerTest } from "./testing/node-handler-fixture";

const node = nodeHandlerPerTest();

describe("requests the Node server serves or passes on", () => {
  it("serves the Fetch handlers with their bodies: unregister, subscribers, update, services", async () => {
    const { info } = await node.connect("channels=a");
    const listed = await fetch(`${node.base}/event-subscribers?channels=a`);
    expect(((await listed.json()) as unknown[]).length).toBe(1);
    const update = await fetch(`${node.base}/event-subscribers/${info.id}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ subscribeChannels: ["b"] }),
    });
    expect(update.status).toBe(200);
    expect((await node.events.getSubscriptionInfo(info.id!))?.channels).toEqual(["a", "b"]);
    const removed = await fetch(`${node.base}/json/reply/UnRegisterEventSubscriber`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `id=${info.id}`,
    });
    expect(removed.status).toBe(200);
    expect(await node.events.getSubscriptionInfo(info.id!)).toBeNull();
  });

  it("binds route arguments over query and body for extra service routes, bodies of any size", async () => {
    const big = "x".repeat(200_000);
    const response = await fetch(`${node.base}/rooms/a%20b/echo?room=query&q=1`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ room: "body", big }),
    });
    expect(await response.json()).toEqual({ room: "a b", q: "1", big });
  });

  it("passes on what it does not serve: other paths, other methods", async () => {
    for (const [method, path] of [
      ["GET", "/"],
      ["DELETE", "/event-stream"],
      ["GET", "/event-subscribers/abc"],
      ["GET", "/api/auth/session"],
    ] as const) {
      const response = await fetch(`${node.base}${path}`, { method });
      expect(`${method} ${path} ${response.status}`).toBe(`${method} ${path} 418`);
    }
  });

  it("answers a malformed escape in a path segment with 400 naming it, not a 500 from Next", async () => {
    for (const [method, path, field] of [
      ["POST", "/rooms/%E0%A4%A/echo", "room"],
      ["POST", "/rooms/%ED%A0%80/echo", "room"],
      ["GET", "/api/%ZZ", "operation"],
      ["POST", "/event-subscribers/%FF", "id"],
    ] as const) {
      const response = await fetch(`${node.base}${path}`, { method });
      expect(`${method} ${path} ${response.status}`).toBe(`${method} ${path} 400`);
      const body = (await response.json()) as {
        responseStatus: { errors: { fieldName: string }[] };
      };
      expect(body.responseStatus.errors[0]?.fieldName).toBe(field);
    }
  });

  it("answers HEAD with headers only: the stream's subscribes nobody, and nothing else acts", async () => {
    const member = await node.connect("channels=lobby");
    await member.frames.next(); // its own onJoin
    const stream = await fetch(`${node.base}/event-stream?channels=lobby`, { method: "HEAD" });
    expect(stream.status).toBe(200);
    expect(stream.headers.get("content-type")).toBe("text/event-stream");
    const pulse = await fetch(`${node.base}/event-heartbeat?id=${member.info.id}`, {
      method: "HEAD",
    });
    expect(pulse.status).toBe(405);
    const update = await fetch(
      `${node.base}/api/UpdateEventSubscriber?id=${member.info.id}&subscribeChannels=elsewhere`,
      { method: "HEAD" },
    );
    expect(update.status).toBe(405);
    expect(node.events.localCount).toBe(1);
    expect((await node.events.getSubscriptionInfo(member.info.id!))?.channels).toEqual(["lobby"]);
    await node.events.notifyChannel("lobby", "cmd.after", "x");
    // No onJoin of a HEAD's subscriber, and no heartbeat, came before this.
    expect((await member.frames.next()).selector).toBe("cmd.after");
  });
});

describe("hooks on the Node server", () => {
  it("hands onInit and onHeartbeatInit a Fetch Request, and sends what they answer", async () => {
    const onInit = vi.fn((request: Request, headers: Headers) => {
      headers.set("X-Served-By", "hook");
      return request.headers.get("x-refuse") ? new Response("refused", { status: 401 }) : undefined;
    });
    const onHeartbeatInit = vi.fn((request: Request) => {
      expect(request).toBeInstanceOf(Request);
      return new Response("intercepted", { status: 202 });
    });
    await node.restart({ onInit, onHeartbeatInit });
    const refused = await fetch(`${node.base}/event-stream`, { headers: { "x-refuse": "1" } });
    expect([refused.status, await refused.text()]).toEqual([401, "refused"]);
    const { info, response } = await node.connect();
    expect(onInit.mock.calls[1]![0]).toBeInstanceOf(Request);
    expect(response.headers.get("x-served-by")).toBe("hook");
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/u);
    const pulse = await fetch(info.heartbeatUrl!);
    expect([pulse.status, await pulse.text()]).toEqual([202, "intercepted"]);
  });
});

describe("endpoints at configured paths", () => {
  it("serves moved endpoints there, puts them in cmd.onConnect, and passes the old paths on", async () => {
    const paths = { streamPath: "/sse", heartbeatPath: "/sse/beat", unRegisterPath: null };
    await node.restart(paths, paths);
    const { response, info } = await node.connect("channels=home", {}, "/sse");
    expect(response.status).toBe(200);
    expect(info.heartbeatUrl).toBe(`${node.base}/sse/beat?id=${info.id}`);
    expect(info.unRegisterUrl).toBeUndefined();
    expect((await fetch(info.heartbeatUrl!, { method: "POST" })).status).toBe(200);
    // Not ours any more: handed to the next handler (Next, which answers 404).
    for (const path of ["/event-stream", "/event-heartbeat", "/event-unregister"])
      expect(await (await fetch(`${node.base}${path}?id=${info.id}`)).text()).toBe("passed on");
  });
});
