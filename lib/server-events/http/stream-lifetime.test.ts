import { afterEach, describe, expect, it, vi } from "vitest";
import { MemoryServerEvents } from "../memory-server-events";
import type { ServerEventsOptions } from "../options";
import { FrameReader } from "../testing/frame-reader";
import { createServerEventsHandlers, type ServerEventsHandlers } from "./create-handlers";

const origin = "http://127.0.0.1:3000";
let events: MemoryServerEvents;
let accepting = true;
const open: FrameReader[] = [];

async function setUp(options: ServerEventsOptions = {}): Promise<ServerEventsHandlers> {
  events = new MemoryServerEvents({ onError: () => undefined, ...options });
  await events.start();
  accepting = true;
  return createServerEventsHandlers({ serverEvents: events, isAcceptingStreams: () => accepting });
}

afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(open.splice(0).map((reader) => reader.cancel().catch(() => undefined)));
  await events.stop();
});

async function connect(handlers: ServerEventsHandlers, channel = "home") {
  const response = await handlers.stream(new Request(`${origin}/event-stream?channels=${channel}`));
  expect(response.status).toBe(200);
  const frames = new FrameReader(response.body!);
  open.push(frames);
  const info = (await frames.next()).body as Record<string, string>;
  await frames.until((frame) => frame.selector === "cmd.onJoin");
  return { frames, id: info.id! };
}

/** The `retry:` value of a stream's closing text, or undefined when it has none. */
function retryHintOf(text: string): number | undefined {
  const match = /(?:^|\n)retry: (\d+)\n\n$/u.exec(text);
  return match ? Number(match[1]) : undefined;
}

describe("SSE_MAX_STREAM_DURATION_MS", () => {
  it("ends each stream in the last tenth of its maximum, with a retry hint, and the subscriber leaves", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    // Presence at once: a stream ending in the window's last 100 ms would otherwise leave its
    // onLeave waiting on a (fake) flush timer nothing advances any more.
    const handlers = await setUp({
      maxStreamDurationMs: 60_000,
      endOfStreamRetryMs: 500,
      presenceFlushMs: 0,
    });
    const leaving = await connect(handlers);
    await vi.advanceTimersByTimeAsync(30_000);
    const watcher = await connect(handlers);

    await vi.advanceTimersByTimeAsync(23_999);
    expect(await events.getSubscriptionInfo(leaving.id)).not.toBeNull();

    await vi.advanceTimersByTimeAsync(6_001);
    const hint = retryHintOf(await leaving.frames.rest());
    expect(hint).toBeGreaterThanOrEqual(250);
    expect(hint).toBeLessThanOrEqual(750);
    expect(await events.getSubscriptionInfo(leaving.id)).toBeNull();
    const leave = await watcher.frames.until((frame) => frame.selector === "cmd.onLeave");
    expect(leave.body).toMatchObject({ userId: expect.any(String) as string });
  });

  it("keeps streams open when unset", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const handlers = await setUp();
    const { id } = await connect(handlers);
    await vi.advanceTimersByTimeAsync(24 * 60 * 60 * 1000);
    expect(events.localSubscription(id)).toBeDefined();
  });
});

describe("shutting down", () => {
  it("refuses new streams with 503 and Retry-After while draining", async () => {
    const handlers = await setUp();
    accepting = false;
    const response = await handlers.stream(new Request(`${origin}/event-stream?channels=home`));
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("1");
    expect(await response.json()).toMatchObject({
      responseStatus: { errorCode: "ServiceUnavailable" },
    });
  });

  it("stop() ends every stream with a retry hint, so clients move on at once", async () => {
    const handlers = await setUp({ endOfStreamRetryMs: 1000 });
    const { frames } = await connect(handlers);
    await events.stop({ notify: true });
    const hint = retryHintOf(await frames.rest());
    expect(hint).toBeGreaterThanOrEqual(500);
    expect(hint).toBeLessThanOrEqual(1500);
  });
});
