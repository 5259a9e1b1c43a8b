import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  isAddressedTo,
  type AddressableSubscription,
  type NotifyTarget,
  type PublishedMessage,
} from "./message";
import { MessageLog } from "./message-log";
import { audienceKeysOf, targetKeyOf } from "./target-shares";

/** Two subscribers whose audiences overlap (channel b, user u1's name), and every target kind. */
const subscribers: AddressableSubscription[] = [
  { id: "s1", userId: "u1", userName: "ann", sessionId: "g1", channels: ["a", "b"] },
  { id: "s2", userId: "u2", userName: null, sessionId: null, channels: ["b", "c"] },
];
const target: fc.Arbitrary<NotifyTarget> = fc.oneof(
  { arbitrary: fc.constant({ kind: "all" } as const), weight: 1 },
  {
    arbitrary: fc
      .constantFrom("a", "b", "c", "d")
      .map((value) => ({ kind: "channel", value }) as const),
    weight: 6,
  },
  {
    arbitrary: fc
      .constantFrom("s1", "s2")
      .map((value) => ({ kind: "subscription", value }) as const),
    weight: 1,
  },
  {
    arbitrary: fc
      .constantFrom("u1", "u2", "u3")
      .map((value) => ({ kind: "userId", value }) as const),
    weight: 1,
  },
  {
    arbitrary: fc.constantFrom("ann", "bob").map((value) => ({ kind: "userName", value }) as const),
    weight: 1,
  },
  {
    arbitrary: fc.constantFrom("g1", "g2").map((value) => ({ kind: "session", value }) as const),
    weight: 1,
  },
);
const append = fc.record({
  kind: fc.constant("append" as const),
  target,
  channelFilter: fc.option(fc.constantFrom("a", "b", "c"), { nil: undefined }),
  size: fc.integer({ min: 0, max: 30 }),
  advanceMs: fc.integer({ min: 0, max: 400 }),
});
const steps = (clears: boolean) =>
  fc.array(
    fc.oneof(
      { arbitrary: append, weight: 12 },
      { arbitrary: fc.constant({ kind: "clear" as const }), weight: clears ? 1 : 0 },
    ),
    { maxLength: 150 },
  );

interface World {
  log: MessageLog;
  appended: PublishedMessage[];
  lastId: number;
}

type Step = { kind: "clear" } | (typeof append extends fc.Arbitrary<infer T> ? T : never);

/**
 * Plays `program` on a log with `limits`; after every append checks that the kept messages fit
 * the limits, then runs `afterEach`.
 */
function play(
  program: Step[],
  limits: { maxMessages: number; maxBytes: number; retentionMs: number },
  afterEach: (world: World) => void,
): void {
  let now = 0;
  const world: World = {
    log: new MessageLog(limits.retentionMs, limits.maxMessages, () => now, limits.maxBytes),
    appended: [],
    lastId: 1,
  };
  for (const step of program) {
    if (step.kind === "clear") {
      world.log.clear();
      continue;
    }
    now += step.advanceMs;
    const message: PublishedMessage = {
      id: ++world.lastId,
      createdAt: now,
      target: step.target,
      ...(step.target.kind !== "channel" && step.channelFilter
        ? { channelFilter: step.channelFilter }
        : {}),
      selector: "cmd.x",
      json: "x".repeat(step.size),
    };
    world.appended.push(message);
    world.log.append(message);
    const kept = world.log.since(0).messages;
    expect(kept.length).toBeLessThanOrEqual(limits.maxMessages);
    expect(kept.reduce((sum, m) => sum + m.json.length + 5, 0)).toBeLessThanOrEqual(
      limits.maxBytes,
    );
    afterEach(world);
  }
}

const resumePoints = (world: World) =>
  [0, world.lastId - 7, world.lastId - 2, world.lastId].map((id) => Math.max(0, id));

describe("MessageLog", { timeout: 60_000 }, () => {
  it("never calls a resume complete while a message addressed to the subscriber is missing", () => {
    fc.assert(
      fc.property(
        steps(true),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 20, max: 200 }),
        (program, maxMessages, maxBytes) =>
          play(program, { maxMessages, maxBytes, retentionMs: 2_000 }, (world) => {
            for (const sub of subscribers)
              for (const afterId of resumePoints(world)) {
                const { messages, complete } = world.log.since(afterId, audienceKeysOf(sub));
                const ids = messages.map((m) => m.id);
                expect(ids).toEqual([...ids].sort((x, y) => x - y));
                expect(ids.every((id) => id > afterId)).toBe(true);
                if (!complete) continue;
                for (const m of world.appended)
                  if (m.id > afterId && isAddressedTo(m, sub)) expect(ids).toContain(m.id);
              }
          }),
      ),
      { numRuns: 300 },
    );
  });

  it("calls a resume complete whenever nothing for the subscriber's audiences was dropped", () => {
    // No retention and no clear: every drop makes room, and is charged to one audience.
    fc.assert(
      fc.property(
        steps(false),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 20, max: 200 }),
        (program, maxMessages, maxBytes) =>
          play(program, { maxMessages, maxBytes, retentionMs: Infinity }, (world) => {
            const kept = new Set(world.log.since(0).messages.map((m) => m.id));
            for (const sub of subscribers) {
              const keys = audienceKeysOf(sub);
              for (const afterId of resumePoints(world)) {
                const lostOwn = world.appended.some(
                  (m) => m.id > afterId && !kept.has(m.id) && keys.includes(targetKeyOf(m.target)),
                );
                expect(world.log.since(afterId, keys).complete).toBe(!lostOwn);
              }
            }
          }),
      ),
      { numRuns: 300 },
    );
  });

  it("stays within its limits and keeps the quiet audiences through a long flood", () => {
    const log = new MessageLog(Infinity, 100, () => 0, 50_000);
    let id = 1;
    const quiet: number[] = [];
    for (let i = 0; i < 30_000; i++) {
      const isQuiet = i % 1_000 === 0;
      const message: PublishedMessage = {
        id: ++id,
        createdAt: 0,
        target: { kind: "channel", value: isQuiet ? `quiet-${i}` : "flood" },
        selector: "cmd.x",
        json: "x".repeat(i % 7 === 0 ? 900 : 10),
      };
      if (isQuiet) quiet.push(id);
      log.append(message);
    }
    const kept = log.since(0).messages;
    expect(kept.length).toBeLessThanOrEqual(100);
    for (const quietId of quiet) expect(kept.map((m) => m.id)).toContain(quietId);
    expect(log.since(1, ["all", "channel:quiet-0"]).complete).toBe(true);
    expect(log.since(1, ["all", "channel:flood"]).complete).toBe(false);
  });
});
