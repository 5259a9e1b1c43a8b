import { describe, expect, it } from "vitest";
import type { PublishedMessage } from "./message";
import { MessageLog } from "./message-log";

const message = (id: number, createdAt: number): PublishedMessage => ({
  id,
  createdAt,
  target: { kind: "all" },
  selector: "cmd.x",
  json: String(id),
});

describe("MessageLog", () => {
  it("returns the messages after an id, complete while nothing after it was dropped", () => {
    const now = 1_000;
    const log = new MessageLog(60_000, 100, () => now);
    for (const id of [2, 3, 4]) log.append(message(id, now));
    expect(log.since(2)).toEqual({ messages: [message(3, now), message(4, now)], complete: true });
    expect(log.since(4).messages).toEqual([]);
  });

  it("drops messages older than the retention window and says the resume is incomplete", () => {
    let now = 0;
    const log = new MessageLog(1_000, 100, () => now);
    log.append(message(2, 0));
    now = 600;
    log.append(message(3, 600));
    now = 1_200;
    expect(log.since(1)).toEqual({ messages: [message(3, 600)], complete: false });
    expect(log.since(2).complete).toBe(true);
  });

  it("keeps at most maxMessages", () => {
    const log = new MessageLog(60_000, 2, () => 0);
    for (const id of [2, 3, 4, 5]) log.append(message(id, 0));
    const { messages, complete } = log.since(1);
    expect(messages.map((m) => m.id)).toEqual([4, 5]);
    expect(complete).toBe(false);
  });

  it("keeps the bodies under maxBytes, dropping the oldest", () => {
    const log = new MessageLog(60_000, 100, () => 0, 20);
    for (const id of [2, 3, 4]) log.append({ ...message(id, 0), json: "x".repeat(5) });
    expect(log.since(1).messages.map((m) => m.id)).toEqual([3, 4]);
    expect(log.since(1).complete).toBe(false);
  });

  it("takes the messages to drop from the audience holding the most", () => {
    const log = new MessageLog(60_000, 4, () => 0);
    const to = (id: number, channel: string): PublishedMessage => ({
      ...message(id, 0),
      target: { kind: "channel", value: channel },
    });
    log.append(to(2, "quiet"));
    for (const id of [3, 4, 5, 6, 7, 8]) log.append(to(id, "busy"));
    expect(log.since(1).messages.map((m) => m.id)).toEqual([2, 6, 7, 8]);
    // Complete for an audience whose messages are all kept; not for the busy channel's.
    expect(log.since(1, ["all", "channel:quiet"]).complete).toBe(true);
    expect(log.since(1, ["all", "channel:busy"]).complete).toBe(false);
    expect(log.since(5, ["all", "channel:busy"]).complete).toBe(true);
    expect(log.since(1).complete).toBe(false);
  });

  it("takes the bytes to drop from the audience holding the most bytes", () => {
    const log = new MessageLog(60_000, 1_000, () => 0, 1_000);
    const to = (id: number, channel: string, size: number): PublishedMessage => ({
      ...message(id, 0),
      json: "x".repeat(size),
      target: { kind: "channel", value: channel },
    });
    for (let id = 2; id < 22; id++) log.append(to(id, "home", 5));
    for (let id = 22; id < 42; id++) log.append(to(id, "spam", 400));
    const kept = log.since(1).messages;
    expect(kept.filter((m) => m.json.length === 5)).toHaveLength(20);
    expect(log.since(1, ["all", "channel:home"]).complete).toBe(true);
    expect(log.since(1, ["all", "channel:spam"]).complete).toBe(false);
  });

  it("keeps a quiet audience's resume complete from any point of a flood", () => {
    const log = new MessageLog(60_000, 20, () => 0);
    const to = (id: number, channel: string): PublishedMessage => ({
      ...message(id, 0),
      target: { kind: "channel", value: channel },
    });
    for (let id = 2; id < 7; id++) log.append(to(id, "spam"));
    // A subscriber of "home" connects now: its cursor is the flood's latest id.
    const cursor = 6;
    for (let id = 7; id < 20_000; id++) log.append(to(id, "spam"));
    expect(log.since(cursor, ["all", "channel:home"])).toEqual({
      messages: expect.any(Array) as unknown,
      complete: true,
    });
    expect(log.since(cursor).messages).toHaveLength(20);
  });

  it("forgets everything on clear", () => {
    const log = new MessageLog(60_000, 10, () => 0);
    log.append(message(2, 0));
    log.clear();
    expect(log.since(1)).toEqual({ messages: [], complete: false });
  });
});
