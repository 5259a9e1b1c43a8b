import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  createServerEventsHandlers,
  jsonResponse,
  MemoryServerEvents,
  RequestArgs,
  type CallerIdentity,
  type ServerEventsOptions,
  type ServerEventsPaths,
} from "@/lib/server-events";
import { FrameReader } from "@/lib/server-events/testing/frame-reader";
import { settleForwardedFor, type ForwardedForTrust } from "./forwarded-for";
import { createServerEventsNodeHandler, type RequestLogEntry } from "./node-handler";

let events: MemoryServerEvents;
let server: Server;
let base: string;
let callers: Map<string, CallerIdentity>;
let logged: RequestLogEntry[];
const open: AbortController[] = [];

async function start(
  options: ServerEventsOptions = {},
  paths?: Partial<ServerEventsPaths>,
  trust?: ForwardedForTrust,
) {
  events = new MemoryServerEvents({ onError: () => undefined, ...options });
  await events.start();
  callers = new Map();
  logged = [];
  const handlers = createServerEventsHandlers({
    serverEvents: events,
    resolveIdentity: (request) =>
      Promise.resolve(callers.get(request.headers.get("x-user") ?? "") ?? null),
    services: {
      // Echoes its arguments: route arguments, query and body, as the core binds them.
      Echo: async (request, _context, route) =>
        jsonResponse(Object.fromEntries((await RequestArgs.from(request, route)).entries())),
      ForwardedFor: (request) =>
        Promise.resolve(jsonResponse({ forwardedFor: request.headers.get("x-forwarded-for") })),
    },
    onError: (error) => {
      throw error;
    },
  });
  const handle = createServerEventsNodeHandler({
    handlers,
    onError: (error) => {
      throw error;
    },
    serviceRoutes: [{ path: "/rooms/{room}/echo", methods: ["POST"], operation: "Echo" }],
    onResponse: (entry) => logged.push(entry),
    ...(paths ? { paths } : {}),
  });
  server = createServer((req, res) => {
    if (trust) settleForwardedFor(req, trust);
    if (!handle(req, res)) res.writeHead(418).end("passed on");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeEach(() => start());

afterEach(async () => {
  for (const controller of open.splice(0)) controller.abort();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await events.stop();
});

async function connect(
  query = "channels=home",
  headers: Record<string, string> = {},
  path = "/event-stream",
) {
  const controller = new AbortController();
  open.push(controller);
  const response = await fetch(`${base}${path}?${query}`, {
    headers,
    signal: controller.signal,
  });
  const frames = new FrameReader(response.body!);
  const connectFrame = await frames.next();
  const info = connectFrame.body as Record<string, string>;
  return { response, frames, info, controller };
}

describe("the Node server's Server Events endpoints", () => {
  it("streams with the event-stream headers, cmd.onConnect first, URLs on this host", async () => {
    const { response, frames, info } = await connect("channels=a,b");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    expect(response.headers.get("cache-control")).toBe("private, no-cache, no-store, no-transform");
    expect(info.heartbeatUrl).toBe(`${base}/event-heartbeat?id=${info.id}`);
    expect((await frames.next()).selector).toBe("cmd.onJoin");
    expect(logged.map((entry) => [entry.route, entry.status])).toEqual([["event-stream", 200]]);
  });

  it("sends the head, cmd.onConnect and the joiner's own onJoin together, not the onJoin after presence's wait", async () => {
    const controller = new AbortController();
    open.push(controller);
    const response = await fetch(`${base}/event-stream?channels=a`, { signal: controller.signal });
    const first = await response.body!.getReader().read();
    const text = new TextDecoder().decode(first.value);
    expect(text).toContain("cmd.onConnect");
    expect(text).toContain("a@cmd.onJoin");
  });

  it("pulses on a heartbeat: 200 and cmd.onHeartbeat on the stream; 404 with the reason for an unknown id", async () => {
    const { frames, info } = await connect("channels=a");
    await frames.next(); // onJoin
    const pulse = await fetch(info.heartbeatUrl!, { method: "POST" });
    expect(pulse.status).toBe(200);
    expect((await frames.next()).selector).toBe("cmd.onHeartbeat");
    const missing = await fetch(`${base}/event-heartbeat?id=nope`);
    expect(missing.status).toBe(404);
    expect(missing.statusText).toBe("Subscription 'nope' does not exist");
    expect(await missing.json()).toMatchObject({ responseStatus: { errorCode: "NotFound" } });
  });

  it("sees the forwarded headers Next's server would add: the peer's address unless a proxy sent one", async () => {
    const direct = await connect();
    expect((await events.getSubscriptionInfo(direct.info.id!))?.userAddress).toBe("127.0.0.1");
    const proxied = await connect("", { "x-forwarded-for": "203.0.113.7, 10.0.0.1" });
    expect((await events.getSubscriptionInfo(proxied.info.id!))?.userAddress).toBe("203.0.113.7");
  });

  it("gives services the forwarded-for the server settled, not the one the client wrote", async () => {
    await events.stop();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await start({}, undefined, "never");
    const forwardedFor = async (headers: Record<string, string> = {}) => {
      const response = await fetch(`${base}/api/ForwardedFor`, { method: "POST", headers });
      return ((await response.json()) as { forwardedFor: string | null }).forwardedFor;
    };
    expect(await forwardedFor()).toBe("127.0.0.1");
    // Not believed from this peer: the peer's address is appended, and is the one that counts.
    expect(await forwardedFor({ "x-forwarded-for": "203.0.113.7" })).toBe("203.0.113.7, 127.0.0.1");
  });

  it("unregisters a subscriber whose connection closes", async () => {
    const { info, controller } = await connect();
    expect(await events.getSubscriptionInfo(info.id!)).not.toBeNull();
    controller.abort();
    await expect.poll(() => events.localCount).toBe(0);
  });

  it("counts a guest's streams, refuses one past the limit with 429, and frees a place when one closes", async () => {
    callers.set("guest", { isAuthenticated: false, userId: "guest-g1", sessionId: "g1" });
    const streams = [];
    for (let i = 0; i < 50; i++) streams.push(await connect("channels=a", { "x-user": "guest" }));
    const refused = await fetch(`${base}/event-stream?channels=a`, {
      headers: { "x-user": "guest" },
    });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("2");
    streams[0]!.controller.abort();
    await expect
      .poll(async () => {
        const retry = await fetch(`${base}/event-stream?channels=a`, {
          headers: { "x-user": "guest" },
        });
        await retry.body?.cancel();
        return retry.status;
      })
      .toBe(200);
  });

  it("keeps heartbeats to the subscription's owner", async () => {
    callers.set("guest-a", { isAuthenticated: false, sessionId: "guest-session-a" });
    callers.set("guest-b", { isAuthenticated: false, sessionId: "guest-session-b" });
    const { info } = await connect("channels=a", { "x-user": "guest-a" });
    const url = info.heartbeatUrl!;
    expect((await fetch(url, { headers: { "x-user": "guest-b" } })).status).toBe(403);
    expect((await fetch(url)).status).toBe(403);
    expect((await fetch(url, { headers: { "x-user": "guest-a" } })).status).toBe(200);
  });

  it("serves the Fetch handlers with their bodies: unregister, subscribers, update, services", async () => {
    const { info } = await connect("channels=a");
    const listed = await fetch(`${base}/event-subscribers?channels=a`);
    expect(((await listed.json()) as unknown[]).length).toBe(1);
    const update = await fetch(`${base}/event-subscribers/${info.id}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ subscribeChannels: ["b"] }),
    });
    expect(update.status).toBe(200);
    expect((await events.getSubscriptionInfo(info.id!))?.channels).toEqual(["a", "b"]);
    const removed = await fetch(`${base}/json/reply/UnRegisterEventSubscriber`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `id=${info.id}`,
    });
    expect(removed.status).toBe(200);
    expect(await events.getSubscriptionInfo(info.id!)).toBeNull();
  });

  it("binds route arguments over query and body for extra service routes, bodies of any size", async () => {
    const big = "x".repeat(200_000);
    const response = await fetch(`${base}/rooms/a%20b/echo?room=query&q=1`, {
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
      const response = await fetch(`${base}${path}`, { method });
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
      const response = await fetch(`${base}${path}`, { method });
      expect(`${method} ${path} ${response.status}`).toBe(`${method} ${path} 400`);
      const body = (await response.json()) as {
        responseStatus: { errors: { fieldName: string }[] };
      };
      expect(body.responseStatus.errors[0]?.fieldName).toBe(field);
    }
  });

  it("answers HEAD with headers only: the stream's subscribes nobody, and nothing else acts", async () => {
    const member = await connect("channels=lobby");
    await member.frames.next(); // its own onJoin
    const stream = await fetch(`${base}/event-stream?channels=lobby`, { method: "HEAD" });
    expect(stream.status).toBe(200);
    expect(stream.headers.get("content-type")).toBe("text/event-stream");
    const pulse = await fetch(`${base}/event-heartbeat?id=${member.info.id}`, { method: "HEAD" });
    expect(pulse.status).toBe(405);
    const update = await fetch(
      `${base}/api/UpdateEventSubscriber?id=${member.info.id}&subscribeChannels=elsewhere`,
      { method: "HEAD" },
    );
    expect(update.status).toBe(405);
    expect(events.localCount).toBe(1);
    expect((await events.getSubscriptionInfo(member.info.id!))?.channels).toEqual(["lobby"]);
    await events.notifyChannel("lobby", "cmd.after", "x");
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
    await events.stop();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await start({ onInit, onHeartbeatInit });
    const refused = await fetch(`${base}/event-stream`, { headers: { "x-refuse": "1" } });
    expect([refused.status, await refused.text()]).toEqual([401, "refused"]);
    const { info, response } = await connect();
    expect(onInit.mock.calls[1]![0]).toBeInstanceOf(Request);
    expect(response.headers.get("x-served-by")).toBe("hook");
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/u);
    const pulse = await fetch(info.heartbeatUrl!);
    expect([pulse.status, await pulse.text()]).toEqual([202, "intercepted"]);
  });
});

describe("endpoints at configured paths", () => {
  async function restart(options: ServerEventsOptions, paths: Partial<ServerEventsPaths>) {
    await events.stop();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await start(options, paths);
  }

  it("serves moved endpoints there, puts them in cmd.onConnect, and passes the old paths on", async () => {
    const paths = { streamPath: "/sse", heartbeatPath: "/sse/beat", unRegisterPath: null };
    await restart(paths, paths);
    const { response, info } = await connect("channels=home", {}, "/sse");
    expect(response.status).toBe(200);
    expect(info.heartbeatUrl).toBe(`${base}/sse/beat?id=${info.id}`);
    expect(info.unRegisterUrl).toBeUndefined();
    expect((await fetch(info.heartbeatUrl!, { method: "POST" })).status).toBe(200);
    // Not ours any more: handed to the next handler (Next, which answers 404).
    for (const path of ["/event-stream", "/event-heartbeat", "/event-unregister"])
      expect(await (await fetch(`${base}${path}?id=${info.id}`)).text()).toBe("passed on");
  });
});
