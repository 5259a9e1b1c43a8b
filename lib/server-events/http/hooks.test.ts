import { afterEach, describe, expect, it } from "vitest";
import { MemoryServerEvents } from "../memory-server-events";
import type { ServerEventsOptions } from "../options";
import { FrameReader } from "../testing/frame-reader";
import { createServerEventsHandlers } from "./create-handlers";

const origin = "http://127.0.0.1:3000";
const readers: FrameReader[] = [];
const providers: MemoryServerEvents[] = [];

afterEach(async () => {
  await Promise.all(readers.splice(0).map((reader) => reader.cancel()));
  await Promise.all(providers.splice(0).map((events) => events.stop()));
});

function setUp(options: ServerEventsOptions) {
  const events = new MemoryServerEvents({ onError: () => undefined, ...options });
  providers.push(events);
  return { events, handlers: createServerEventsHandlers({ serverEvents: events }) };
}

async function open(handlers: ReturnType<typeof setUp>["handlers"], query: string) {
  const response = await handlers.stream(new Request(`${origin}/event-stream?${query}`));
  const frames = new FrameReader(response.body!);
  readers.push(frames);
  return { response, frames };
}

describe("hooks", () => {
  it("run in ServiceStack's order around the frames they affect", async () => {
    const calls: string[] = [];
    const { events, handlers } = setUp({
      onInit: () => void calls.push("onInit"),
      onCreated: (sub) => {
        calls.push("onCreated");
        sub.meta.team = "blue";
        sub.connectArgs.welcome = "hi";
        sub.serverArgs.secret = "never sent";
      },
      onConnect: (_sub, connectArgs) => {
        calls.push("onConnect");
        connectArgs.extra = "added in onConnect";
      },
      onSubscribe: () => void calls.push("onSubscribe"),
      onUpdate: () => void calls.push("onUpdate"),
      onUnsubscribe: () => void calls.push("onUnsubscribe"),
    });
    await events.start();
    const { frames } = await open(handlers, "channels=a");
    const connect = await frames.next();
    const join = await frames.next();
    expect(calls).toEqual(["onInit", "onCreated", "onConnect", "onSubscribe"]);
    expect(connect.body).toMatchObject({ welcome: "hi", extra: "added in onConnect" });
    expect(connect.body).not.toHaveProperty("team");
    expect(join.body).toMatchObject({ team: "blue" });
    expect(JSON.stringify(frames.seen)).not.toContain("never sent");

    const { id } = connect.body as { id: string };
    await events.subscribeToChannels(id, ["b"]);
    await events.unRegister(id);
    expect(calls.slice(4)).toEqual(["onUpdate", "onUnsubscribe"]);
  });

  it("let onInit add response headers to the stream, but not replace the event-stream ones", async () => {
    const { events, handlers } = setUp({
      onInit: (_request, headers) => {
        headers.set("X-Served-By", "hook");
        headers.set("Content-Type", "text/html");
      },
    });
    await events.start();
    const { response, frames } = await open(handlers, "channels=a");
    expect(response.headers.get("x-served-by")).toBe("hook");
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/u);
    expect((await frames.next()).selector).toBe("cmd.onConnect");
  });

  it("let onInit and onHeartbeatInit answer instead of the handler", async () => {
    const { events, handlers } = setUp({
      onInit: (request) =>
        new URL(request.url).searchParams.has("deny")
          ? new Response("go away", { status: 429 })
          : undefined,
      onHeartbeatInit: () => new Response(null, { status: 204 }),
    });
    await events.start();
    expect((await handlers.stream(new Request(`${origin}/event-stream?deny=1`))).status).toBe(429);
    const { frames } = await open(handlers, "channels=a");
    const { heartbeatUrl } = (await frames.next()).body as { heartbeatUrl: string };
    expect((await handlers.heartbeat(new Request(heartbeatUrl))).status).toBe(204);
  });

  it("do not send presence when notifyChannelOfSubscriptions is off", async () => {
    const { events, handlers } = setUp({ notifyChannelOfSubscriptions: false });
    await events.start();
    const { frames } = await open(handlers, "channels=a");
    await frames.next();
    await events.notifyChannel("a", "cmd.chat", "first frame after onConnect");
    expect((await frames.next()).selector).toBe("cmd.chat");
  });
});
