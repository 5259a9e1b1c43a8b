import { afterEach, describe, expect, it, vi } from "vitest";
import { createEventStream } from "./event-stream-sink";
import { MemoryServerEvents } from "./memory-server-events";
import { resolveOptions, type ServerEventsOptions } from "./options";
import { InProcessTransport } from "./transport";
import { Subscription } from "./subscription";
import { FrameReader } from "./testing/frame-reader";

const started: MemoryServerEvents[] = [];
let anon = 0;

async function createEvents(options: ServerEventsOptions = {}) {
  const events = new MemoryServerEvents({ onError: () => undefined, ...options });
  await events.start();
  started.push(events);
  return events;
}

function openSubscription(
  events: MemoryServerEvents,
  channels: string[],
  maxBufferedBytes = 1 << 20,
) {
  const { stream, sink } = createEventStream(maxBufferedBytes, () => undefined);
  const n = ++anon;
  const sub = new Subscription(
    {
      id: `sub-${n}`,
      userId: `-${n}`,
      userName: null,
      displayName: `user${n}`,
      sessionId: null,
      isAuthenticated: false,
      profileUrl: "",
      createdAt: events.options.now(),
      userAddress: null,
      channels,
      connectArgs: {},
      serverArgs: {},
    },
    sink,
  );
  return { sub, frames: new FrameReader(stream) };
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((events) => events.stop()));
  vi.useRealTimers();
});

/**
 * A client of `room` that went away, `missed` published while it was gone, then its resume with a
 * buffer of `maxBufferedBytes` (registered, nothing read yet).
 */
async function resumeAfterMissing(
  events: MemoryServerEvents,
  missed: string[],
  maxBufferedBytes: number,
) {
  const away = openSubscription(events, ["room"]);
  await events.register(away.sub, {});
  const lastSeen = (await away.frames.until((f) => f.selector === "cmd.onJoin")).id;
  await events.unRegister(away.sub.id);
  for (const body of missed) await events.notifyChannel("room", "cmd.big", body);
  const resumed = openSubscription(events, ["room"], maxBufferedBytes);
  const connectArgs: Record<string, string> = {};
  await events.register(resumed.sub, connectArgs, { lastEventId: lastSeen });
  return { ...resumed, connectArgs };
}

describe("MemoryServerEvents under misuse and failure", () => {
  it("keeps fanning out when an onPublish hook throws, and reports the error", async () => {
    const onError = vi.fn();
    const events = await createEvents({
      onError,
      onPublish: (sub) => {
        if (sub.id === "sub-" + String(anon - 1)) throw new Error("hook failed");
      },
    });
    const a = openSubscription(events, ["room"]);
    const b = openSubscription(events, ["room"]);
    await events.register(a.sub, {});
    await events.register(b.sub, {});
    await events.notifyChannel("room", "cmd.chat", "hello");
    expect((await b.frames.until((f) => f.selector === "cmd.chat")).body).toBe("hello");
    expect(onError).toHaveBeenCalled();
  });

  it("answers a heartbeat for an expired subscription with false and sends its onLeave", async () => {
    let now = 1_000_000;
    const events = await createEvents({ idleTimeoutMs: 1_000, now: () => now });
    const watcher = openSubscription(events, ["room"]);
    const idle = openSubscription(events, ["room"]);
    await events.register(watcher.sub, {});
    await events.register(idle.sub, {});
    now += 500;
    expect(await events.pulse(watcher.sub.id)).toBe(true);
    now += 800;
    expect(await events.pulse(idle.sub.id)).toBe(false);
    const leave = await watcher.frames.until((f) => f.selector === "cmd.onLeave");
    expect(leave.body).toMatchObject({ userId: idle.sub.userId });
  });

  it("refuses more than 100 channels with a 400 naming the field", async () => {
    const events = await createEvents();
    const { sub } = openSubscription(events, ["a"]);
    await events.register(sub, {});
    const many = Array.from({ length: 101 }, (_, i) => `c${i}`);
    await expect(events.subscribeToChannels(sub.id, many)).rejects.toMatchObject({
      status: 400,
      field: "subscribeChannels",
    });
  });

  it("rejects (never throws synchronously) on bad notify input", async () => {
    const events = await createEvents();
    const result = events.notifyChannel("bad@channel", "cmd.x", 1);
    await expect(result).rejects.toMatchObject({ status: 400, field: "channel" });
  });

  it("announces nothing for a connection closed before it was registered", async () => {
    const events = await createEvents();
    const member = openSubscription(events, ["room"]);
    await events.register(member.sub, {});
    const ghost = openSubscription(events, ["room"]);
    ghost.sub.close();
    await events.register(ghost.sub, {});
    await events.notifyChannel("room", "cmd.chat", "after");
    await member.frames.until((f) => f.selector === "cmd.chat");
    expect(member.frames.seen.filter((f) => f.selector === "cmd.onJoin")).toHaveLength(1);
  });

  it("stores and announces nothing for a resuming client that left while its replay was read", async () => {
    // A cluster provider's replay reads the database: the client may close meanwhile.
    const options = resolveOptions({ onError: () => undefined });
    const transport = new InProcessTransport(options);
    let releaseReplay = () => {};
    const replay = transport.replay.bind(transport);
    transport.replay = async (...args) => {
      await new Promise<void>((resolve) => (releaseReplay = resolve));
      return replay(...args);
    };
    const added = vi.fn(() => Promise.resolve());
    const events = new MemoryServerEvents(
      { onError: () => undefined },
      { transport, observer: { added } },
    );
    await events.start();
    started.push(events);
    const member = openSubscription(events, ["room"]);
    await events.register(member.sub, {});
    const resuming = openSubscription(events, ["room"]);
    const registered = events.register(resuming.sub, {}, { lastEventId: 0 });
    await events.unRegister(resuming.sub.id);
    releaseReplay();
    await registered;
    await events.notifyChannel("room", "cmd.chat", "after");
    await member.frames.until((f) => f.selector === "cmd.chat");
    expect(added).toHaveBeenCalledTimes(1);
    expect(added).toHaveBeenCalledWith(member.sub);
    const joins = member.frames.seen.filter((f) => f.selector === "cmd.onJoin");
    expect(joins.map((f) => f.body)).not.toContainEqual(expect.stringContaining(resuming.sub.id));
    expect(joins).toHaveLength(1);
  });

  it("replays the whole window, marked incomplete, to a client holding an id from before a restart", async () => {
    let now = 2_000_000;
    const before = await createEvents({ now: () => now });
    const old = openSubscription(before, ["room"]);
    await before.register(old.sub, {});
    const heldId = (await old.frames.until((f) => f.selector === "cmd.onJoin")).id;
    now += 1_000;
    const after = await createEvents({ now: () => now });
    await after.notifyChannel("room", "cmd.chat", "missed");
    const resumed = openSubscription(after, ["room"]);
    const connectArgs: Record<string, string> = {};
    await after.register(resumed.sub, connectArgs, { lastEventId: heldId });
    expect(connectArgs.recovered).toBe("false");
    expect((await resumed.frames.until((f) => f.selector === "cmd.chat")).body).toBe("missed");
  });

  it("resumes a client that missed more than its buffer holds: all of it, in order, as it reads", async () => {
    const events = await createEvents();
    // 10 × 20 KB missed, against a 64 KB buffer: written at once it would cut the client off
    // before its cmd.onConnect, and again on every retry.
    const missed = Array.from({ length: 10 }, (_, i) => `${i}${"x".repeat(20_000)}`);
    const resumed = await resumeAfterMissing(events, missed, 64 * 1024);
    await events.notifyChannel("room", "cmd.live", "after the replay");

    expect(resumed.connectArgs.recovered).toBe("true");
    expect((await resumed.frames.next()).selector).toBe("cmd.onConnect");
    await resumed.frames.until((f) => f.selector === "cmd.live");
    const frames = resumed.frames.seen.slice(1);
    const replayed = frames.filter((f) => f.selector === "cmd.big");
    expect(replayed.map((f) => (f.body as string).slice(0, 1))).toEqual("0123456789".split(""));
    expect(frames.map((f) => f.selector)).toEqual([
      "cmd.onLeave", // the earlier connection's, missed too
      ...Array<string>(10).fill("cmd.big"),
      "cmd.onJoin",
      "cmd.live",
    ]);
    const ids = frames.map((f) => f.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(resumed.sub.isClosed).toBe(false);
  });

  it("waits for room for a replayed frame larger than what is left of the buffer", async () => {
    const events = await createEvents();
    // 24 KB, then 48 KB, against 64 KB: written back to back, the second would pass the limit.
    const missed = ["x".repeat(24_000), "y".repeat(48_000)];
    const resumed = await resumeAfterMissing(events, missed, 64 * 1024);
    expect((await resumed.frames.next()).selector).toBe("cmd.onConnect");
    await resumed.frames.until((f) => f.selector === "cmd.onJoin");
    const sizes = resumed.frames.seen
      .filter((f) => f.selector === "cmd.big")
      .map((f) => (f.body as string).length);
    expect(sizes).toEqual([24_000, 48_000]);
  });

  it("lets a resuming client that takes nothing of its replay go after idleTimeoutMs", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval"] });
    try {
      const events = await createEvents({ idleTimeoutMs: 5_000 });
      const missed = Array.from({ length: 4 }, () => "x".repeat(20_000));
      const resumed = await resumeAfterMissing(events, missed, 64 * 1024);
      await vi.advanceTimersByTimeAsync(1_000);
      expect(resumed.sub.isClosed).toBe(false);
      await vi.advanceTimersByTimeAsync(5_000);
      expect(resumed.sub.wasTooSlow).toBe(true);
      expect(await events.getSubscriptionInfo(resumed.sub.id)).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });

  it("cuts off a resuming client that cannot take its replay and the live messages behind it", async () => {
    const events = await createEvents();
    const big = "x".repeat(20_000);
    const resumed = await resumeAfterMissing(events, Array<string>(10).fill(big), 64 * 1024);
    // Nobody reads: the replay waits, and the live messages held behind it pass the buffer.
    for (let i = 0; i < 4; i++) await events.notifyChannel("room", "cmd.live", big);
    expect(resumed.sub.isClosed).toBe(true);
    expect(resumed.sub.wasTooSlow).toBe(true);
  });
});
