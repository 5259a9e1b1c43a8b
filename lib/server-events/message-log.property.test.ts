import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { PublishedMessage } from "./message";
import { MessageLog } from "./message-log";
import { targetKeyOf } from "./target-shares";

const channels = ["a", "b", "c", "d"];
const audiences = [["all"], ["all", "channel:a"], ["all", "channel:b", "channel:c"], undefined];

const step = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant("append" as const),
      channel: fc.constantFrom(...channels, "*all*"),
      size: fc.integer({ min: 0, max: 30 }),
      advanceMs: fc.integer({ min: 0, max: 400 }),
    }),
    weight: 12,
  },
  { arbitrary: fc.constant({ kind: "clear" as const }), weight: 1 },
);

describe("MessageLog", { timeout: 30_000 }, () => {
  it("only ever says a resume is complete when nothing for its audience is missing", () => {
    fc.assert(
      fc.property(
        fc.array(step, { maxLength: 120 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 20, max: 200 }),
        (steps, maxMessages, maxBytes) => {
          let now = 0;
          const log = new MessageLog(2_000, maxMessages, () => now, maxBytes);
          const appended: PublishedMessage[] = [];
          let id = 1;
          for (const s of steps) {
            if (s.kind === "clear") {
              log.clear();
              continue;
            }
            now += s.advanceMs;
            const message: PublishedMessage = {
              id: ++id,
              createdAt: now,
              target:
                s.channel === "*all*" ? { kind: "all" } : { kind: "channel", value: s.channel },
              selector: "cmd.x",
              json: "x".repeat(s.size),
            };
            appended.push(message);
            log.append(message);
            const kept = log.since(0).messages;
            expect(kept.length).toBeLessThanOrEqual(maxMessages);
            expect(kept.reduce((sum, m) => sum + m.json.length + 5, 0)).toBeLessThanOrEqual(
              maxBytes,
            );
            for (const afterId of [0, id - 5, id - 1]) {
              for (const audience of audiences) {
                const { messages, complete } = log.since(afterId, audience);
                const ids = messages.map((m) => m.id);
                expect(ids).toEqual([...ids].sort((x, y) => x - y));
                expect(ids.every((x) => x > afterId)).toBe(true);
                if (!complete) continue;
                const wanted = appended.filter(
                  (m) =>
                    m.id > afterId &&
                    (audience === undefined || audience.includes(targetKeyOf(m.target))),
                );
                for (const m of wanted) expect(ids).toContain(m.id);
              }
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
