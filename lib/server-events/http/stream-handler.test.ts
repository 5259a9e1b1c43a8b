/** GET /event-stream: headers, cmd.onConnect, joins, replay, refusals, and where it lives. */
import { describe, expect, it } from "vitest";
import { MemoryServerEvents } from "../memory-server-events";
import { createServerEventsHandlers } from "./create-handlers";
import { origin, handlersPerTest } from "../testing/handlers-fixture";

const fixture = handlersPerTest();

describe("GET /event-stream", () => {
  it("answers with unbuffered SSE headers and cmd.onConnect first", async () => {
    const { response, connectFrame, info } = await fixture.connect("channel=a&channels=b,c");
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
    const { info } = await fixture.connect("", {
      "x-forwarded-proto": "https",
      "x-forwarded-host": "chat.example",
    });
    expect(info.unRegisterUrl).toBe(`https://chat.example/event-unregister?id=${info.id}`);
    expect(info.channels).toBe("*");
  });

  it("sends onJoin for each channel in order, to the joiner too", async () => {
    const { frames } = await fixture.connect("channels=a,b");
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
    const response = await fixture.handlers.stream(new Request(`${origin}/event-stream?${query}`));
    expect(response.status).toBe(400);
    const body = (await response.json()) as { responseStatus: { errors: { fieldName: string }[] } };
    expect(body.responseStatus.errors[0]?.fieldName).toBe(field);
  });

  it("refuses a Last-Event-ID that is not an integer", async () => {
    const request = new Request(`${origin}/event-stream`, { headers: { "Last-Event-ID": "abc" } });
    expect((await fixture.handlers.stream(request)).status).toBe(400);
  });

  it("replays what a reconnecting client missed, then goes live", async () => {
    const first = await fixture.connect("channels=home");
    const join = await first.frames.next();
    await fixture.events.notifyChannel("home", "cmd.chat", "one");
    await fixture.events.notifyChannel("elsewhere", "cmd.chat", "not for me");
    await fixture.events.notifyAll("cmd.chat", "two");
    const { frames, info, connectFrame } = await fixture.connect("channels=home", {
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
      const frames = fixture.read(response.body!);
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
