import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CallerIdentity } from "../identity";
import { MemoryServerEvents } from "../memory-server-events";
import { FrameReader } from "../testing/frame-reader";
import { createServerEventsHandlers, type ServerEventsHandlers } from "./create-handlers";

const origin = "http://127.0.0.1:3000";
let events: MemoryServerEvents;
let handlers: ServerEventsHandlers;
let callers: Map<string, CallerIdentity>;
const open: FrameReader[] = [];

beforeEach(async () => {
  events = new MemoryServerEvents({ onError: () => undefined });
  await events.start();
  callers = new Map();
  handlers = createServerEventsHandlers({
    serverEvents: events,
    resolveIdentity: (request) =>
      Promise.resolve(callers.get(request.headers.get("x-user") ?? "") ?? null),
    onError: (error) => {
      throw error;
    },
  });
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((reader) => reader.cancel()));
  await events.stop();
});

async function connect(query = "channels=home", headers: Record<string, string> = {}) {
  const response = await handlers.stream(
    new Request(`${origin}/event-stream?${query}`, { headers }),
  );
  expect(response.status).toBe(200);
  const frames = new FrameReader(response.body!);
  open.push(frames);
  const connectFrame = await frames.next();
  return { response, frames, info: connectFrame.body as Record<string, string>, connectFrame };
}

describe("GET /event-stream", () => {
  it("answers with unbuffered SSE headers and cmd.onConnect first", async () => {
    const { response, connectFrame, info } = await connect("channel=a&channels=b,c");
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(response.headers.get("cache-control")).toBe("private, no-cache, no-store, no-transform");
    expect(response.headers.get("x-accel-buffering")).toBe("no");
    expect(connectFrame.selector).toBe("cmd.onConnect");
    expect(connectFrame.id).toBeGreaterThan(0);
    expect(info).toMatchObject({
      userId: "-1",
      displayName: "user1",
      isAuthenticated: "false",
      channels: "a,b,c",
      heartbeatIntervalMs: "10000",
      idleTimeoutMs: "30000",
    });
    expect(info.id).toMatch(/^[A-Za-z0-9_-]{20}$/);
    expect(info.heartbeatUrl).toBe(`${origin}/event-heartbeat?id=${info.id}`);
    expect(info.updateSubscriberUrl).toBe(`${origin}/event-subscribers/${info.id}`);
    for (const value of Object.values(info)) expect(typeof value).toBe("string");
  });

  it("builds absolute URLs from the forwarded host and protocol", async () => {
    const { info } = await connect("", {
      "x-forwarded-proto": "https",
      "x-forwarded-host": "chat.example",
    });
    expect(info.unRegisterUrl).toBe(`https://chat.example/event-unregister?id=${info.id}`);
    expect(info.channels).toBe("*");
  });

  it("sends onJoin for each channel in order, to the joiner too", async () => {
    const { frames } = await connect("channels=a,b");
    const joins = [await frames.next(), await frames.next()];
    expect(joins.map((frame) => `${frame.channel}@${frame.selector}`)).toEqual([
      "a@cmd.onJoin",
      "b@cmd.onJoin",
    ]);
  });

  it.each([
    ["channels=a@b", "channels"],
    ["channels=a%0Ab", "channels"],
    ["channels=a%20b", "channels"],
  ])("refuses %s with a 400 naming %s", async (query, field) => {
    const response = await handlers.stream(new Request(`${origin}/event-stream?${query}`));
    expect(response.status).toBe(400);
    const body = (await response.json()) as { responseStatus: { errors: { fieldName: string }[] } };
    expect(body.responseStatus.errors[0]?.fieldName).toBe(field);
  });

  it("refuses a Last-Event-ID that is not an integer", async () => {
    const request = new Request(`${origin}/event-stream`, { headers: { "Last-Event-ID": "abc" } });
    expect((await handlers.stream(request)).status).toBe(400);
  });

  it("replays what a reconnecting client missed, then goes live", async () => {
    const first = await connect("channels=home");
    const join = await first.frames.next();
    await events.notifyChannel("home", "cmd.chat", "one");
    await events.notifyChannel("elsewhere", "cmd.chat", "not for me");
    await events.notifyAll("cmd.chat", "two");
    const { frames, info, connectFrame } = await connect("channels=home", {
      "Last-Event-ID": String(join.id),
    });
    expect(info.recovered).toBe("true");
    expect(connectFrame.id).toBe(join.id);
    const replayed = [await frames.next(), await frames.next()];
    expect(replayed.map((frame) => frame.body)).toEqual(["one", "two"]);
    const ownJoin = await frames.next();
    expect(ownJoin.selector).toBe("cmd.onJoin");
    expect(ownJoin.id).toBeGreaterThan(replayed[1]!.id);
  });

  it("answers 401 to anonymous callers when limited to authenticated users", async () => {
    const limited = new MemoryServerEvents({ limitToAuthenticatedUsers: true });
    const guarded = createServerEventsHandlers({ serverEvents: limited });
    const response = await guarded.stream(new Request(`${origin}/event-stream`));
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBeTruthy();
    expect((await guarded.subscribers(new Request(`${origin}/event-subscribers`))).status).toBe(
      401,
    );
  });
});

describe("heartbeat, unregister and subscriber updates", () => {
  it("writes cmd.onHeartbeat before answering 200 with an empty body", async () => {
    const { frames, info } = await connect();
    await frames.next();
    for (const method of ["GET", "POST"]) {
      const response = await handlers.heartbeat(new Request(info.heartbeatUrl!, { method }));
      expect(response.status).toBe(200);
      expect(await response.text()).toBe("");
      expect((await frames.next()).selector).toBe("cmd.onHeartbeat");
    }
  });

  it("answers 404 for an unknown subscription, naming it", async () => {
    const response = await handlers.heartbeat(new Request(`${origin}/event-heartbeat?id=nope`));
    expect(response.status).toBe(404);
    expect(response.statusText).toBe("Subscription 'nope' does not exist");
    expect((await handlers.heartbeat(new Request(`${origin}/event-heartbeat`))).status).toBe(400);
  });

  it("unregisters with GET, returns the Meta and ends the stream", async () => {
    const { frames, info } = await connect();
    await frames.next();
    const response = await handlers.unregister(new Request(info.unRegisterUrl!));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      userId: "-1",
      displayName: "user1",
      channels: "home",
    });
    expect(await frames.ended()).toBe(true);
    expect(
      (await handlers.unregister(new Request(info.unRegisterUrl!, { method: "POST" }))).status,
    ).toBe(404);
  });

  it("answers only one of two concurrent unregisters with 200", async () => {
    const { frames, info } = await connect();
    await frames.next();
    const [first, second] = await Promise.all([
      handlers.unregister(new Request(info.unRegisterUrl!)),
      handlers.unregister(new Request(info.unRegisterUrl!)),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 404]);
  });

  it("turns an endpoint off when its path is null", async () => {
    const quiet = new MemoryServerEvents({ heartbeatPath: null });
    const off = createServerEventsHandlers({ serverEvents: quiet });
    expect((await off.heartbeat(new Request(`${origin}/event-heartbeat?id=x`))).status).toBe(404);
  });

  it("lists subscribers without their ids", async () => {
    await connect("channels=a");
    await connect("channels=b");
    const all = (await (
      await handlers.subscribers(new Request(`${origin}/event-subscribers`))
    ).json()) as object[];
    expect(all).toHaveLength(2);
    const onlyA = await handlers.subscribers(new Request(`${origin}/event-subscribers?Channels=a`));
    expect(await onlyA.json()).toEqual([expect.objectContaining({ channels: "a" })]);
    expect(JSON.stringify(all)).not.toMatch(/"id"/);
  });

  it("accepts JSON with any key case and form bodies with comma lists", async () => {
    const { frames, info } = await connect("channels=a");
    await frames.next();
    const json = await handlers.updateSubscriber(
      new Request(info.updateSubscriberUrl!, {
        method: "POST",
        body: JSON.stringify({ SubscribeChannels: ["b"] }),
      }),
      info.id!,
    );
    expect(json.status).toBe(200);
    expect(await json.json()).toEqual({});
    const form = await handlers.service(
      new Request(`${origin}/api/UpdateEventSubscriber`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: `id=${info.id}&subscribeChannels=c,d&UnsubscribeChannels=a`,
      }),
      "UpdateEventSubscriber",
    );
    expect(form.status).toBe(200);
    expect((await events.getSubscriptionInfo(info.id!))?.channels).toEqual(["b", "c", "d"]);
  });

  it("only lets the owner act on a signed-in user's subscription", async () => {
    callers.set("alice", { isAuthenticated: true, userId: "alice-id", userName: "alice" });
    callers.set("bob", { isAuthenticated: true, userId: "bob-id", userName: "bob" });
    const { frames, info } = await connect("channels=a", { "x-user": "alice" });
    await frames.next();
    expect(info).toMatchObject({
      userId: "alice-id",
      displayName: "alice",
      isAuthenticated: "true",
    });
    for (const headers of [{}, { "x-user": "bob" }] as Record<string, string>[]) {
      expect((await handlers.heartbeat(new Request(info.heartbeatUrl!, { headers }))).status).toBe(
        403,
      );
      expect(
        (await handlers.unregister(new Request(info.unRegisterUrl!, { headers }))).status,
      ).toBe(403);
    }
    const own = await handlers.heartbeat(
      new Request(info.heartbeatUrl!, { headers: { "x-user": "alice" } }),
    );
    expect(own.status).toBe(200);
  });

  it("binds a guest's subscription to the guest cookie that opened it", async () => {
    callers.set("guest", { isAuthenticated: false, sessionId: "guest-session-0123456789" });
    callers.set("other", { isAuthenticated: false, sessionId: "guest-session-9876543210" });
    const { frames, info } = await connect("channels=a", { "x-user": "guest" });
    await frames.next();
    for (const headers of [{}, { "x-user": "other" }] as Record<string, string>[]) {
      const heartbeat = await handlers.heartbeat(new Request(info.heartbeatUrl!, { headers }));
      expect(heartbeat.status).toBe(403);
      const update = await handlers.updateSubscriber(
        new Request(info.updateSubscriberUrl!, {
          method: "POST",
          headers,
          body: JSON.stringify({ subscribeChannels: ["b"] }),
        }),
        info.id!,
      );
      expect(update.status).toBe(403);
      const unregister = await handlers.unregister(new Request(info.unRegisterUrl!, { headers }));
      expect(unregister.status).toBe(403);
    }
    const own = { headers: { "x-user": "guest" } };
    expect((await handlers.heartbeat(new Request(info.heartbeatUrl!, own))).status).toBe(200);
    expect((await handlers.unregister(new Request(info.unRegisterUrl!, own))).status).toBe(200);
  });

  it("keeps the name and user id a host gives a guest on every connection, bound to the cookie", async () => {
    const guest = { isAuthenticated: false, sessionId: "guest-session-0123456789" } as const;
    callers.set("guest", { ...guest, userId: "guest-1f2e", displayName: "user48213" });
    callers.set("other", { isAuthenticated: false, sessionId: "guest-session-9876543210" });
    const first = await connect("channels=a", { "x-user": "guest" });
    const second = await connect("channels=b", { "x-user": "guest" });
    for (const { info } of [first, second])
      expect(info).toMatchObject({
        userId: "guest-1f2e",
        displayName: "user48213",
        isAuthenticated: "false",
      });
    expect(second.info.id).not.toBe(first.info.id);
    // A cookieless visitor still draws a number, and no guest used one up.
    expect((await connect("channels=a")).info).toMatchObject({
      userId: "-1",
      displayName: "user1",
    });
    const pulse = (user: string) =>
      handlers.heartbeat(new Request(first.info.heartbeatUrl!, { headers: { "x-user": user } }));
    expect((await pulse("other")).status).toBe(403);
    expect((await pulse("guest")).status).toBe(200);
  });

  it("keeps ServiceStack's id-only rule for cookieless anonymous subscriptions", async () => {
    const { frames, info } = await connect("channels=a");
    await frames.next();
    expect((await handlers.heartbeat(new Request(info.heartbeatUrl!))).status).toBe(200);
  });

  it("limits how fast one subscription changes channels (429)", async () => {
    const { frames, info } = await connect("channels=a");
    await frames.next();
    const change = (channel: string) =>
      handlers.updateSubscriber(
        new Request(info.updateSubscriberUrl!, {
          method: "POST",
          body: JSON.stringify({ subscribeChannels: [channel] }),
        }),
        info.id!,
      );
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) statuses.push((await change(`c${i}`)).status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(20);
    const limited = await change("late");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it.each(["a%00b", "a%7Fb", "a%C2%85b", "a%01b"])(
    "refuses control characters in channel names from the query (%s)",
    async (channel) => {
      const response = await handlers.stream(
        new Request(`${origin}/event-stream?channels=${channel}`),
      );
      expect(response.status).toBe(400);
    },
  );

  it("refuses control characters and lone surrogates in channel names from JSON and forms", async () => {
    const { frames, info } = await connect("channels=a");
    await frames.next();
    for (const body of ['{"subscribeChannels":["x\\ud800"]}', '{"subscribeChannels":"x\\u0000"}']) {
      const response = await handlers.updateSubscriber(
        new Request(info.updateSubscriberUrl!, { method: "POST", body }),
        info.id!,
      );
      expect(response.status).toBe(400);
    }
    const form = await handlers.updateSubscriber(
      new Request(info.updateSubscriberUrl!, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "subscribeChannels=x%1Fy",
      }),
      info.id!,
    );
    expect(form.status).toBe(400);
  });

  it("answers unknown services and malformed bodies with 4xx, never 500", async () => {
    expect((await handlers.service(new Request(`${origin}/api/Nope`), "Nope")).status).toBe(404);
    const badJson = await handlers.service(
      new Request(`${origin}/api/UpdateEventSubscriber`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{not json",
      }),
      "UpdateEventSubscriber",
    );
    expect(badJson.status).toBe(400);
    const xml = await handlers.service(
      new Request(`${origin}/api/UpdateEventSubscriber`, {
        method: "POST",
        headers: { "content-type": "application/xml" },
        body: "<x/>",
      }),
      "UpdateEventSubscriber",
    );
    expect(xml.status).toBe(415);
  });
});

describe("request bodies", () => {
  it("stops reading a chunked body past the limit and answers 413", async () => {
    const chunk = new Uint8Array(256 * 1024).fill(0x61);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent++;
        if (sent > 64) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const request = new Request(`${origin}/api/UpdateEventSubscriber`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
      duplex: "half",
    } as RequestInit);
    const response = await handlers.service(request, "UpdateEventSubscriber");
    expect(response.status).toBe(413);
    expect(sent).toBeLessThan(64);
  });
});

describe("endpoint paths", () => {
  it("answers 404 at the default path once an endpoint has moved or is turned off", async () => {
    const moved = new MemoryServerEvents({
      onError: () => undefined,
      streamPath: "/sse",
      heartbeatPath: null,
    });
    await moved.start();
    const movedHandlers = createServerEventsHandlers({ serverEvents: moved });
    try {
      const old = await movedHandlers.stream(new Request(`${origin}/event-stream?channels=a`));
      expect(old.status).toBe(404);
      expect(await old.json()).toMatchObject({
        responseStatus: { message: "The stream endpoint is at /sse" },
      });
      const response = await movedHandlers.stream(new Request(`${origin}/sse?channels=a`));
      expect(response.status).toBe(200);
      const frames = new FrameReader(response.body!);
      open.push(frames);
      const info = (await frames.next()).body as Record<string, string>;
      expect(info.heartbeatUrl).toBeUndefined();
      const beat = await movedHandlers.heartbeat(
        new Request(`${origin}/event-heartbeat?id=${info.id}`, { method: "POST" }),
      );
      expect(beat.status).toBe(404);
    } finally {
      await moved.stop();
    }
  });
});
