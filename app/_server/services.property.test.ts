import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MemoryChatHistory } from "@/app/_server/chat-history";
import { createDemoServices } from "@/app/_server/demo-services";
import { ADMIN_TOKEN, createFuzzServer, identity } from "@/lib/server-events/testing/fuzz-server";
import { sendAll } from "./testing/send-service-request";
import { requestSpec, targets } from "./testing/service-request-specs";

/**
 * No request makes a handler fail: every endpoint, every demo service and unknown ones, any
 * method, query, headers (lying Content-Length, odd Last-Event-ID, Authorization) and body, sent by
 * any identity and often naming a live subscription — the answer is always below 500 and the
 * provider reports no background error. A 500 would rethrow here through `onError`.
 *
 * Each request starts as a plausible call of its endpoint (so it gets past the first check and
 * reaches the code behind it), then takes up to three random mutations.
 */

const liveSpec = fc.record({ identity, channels: fc.subarray(["home", "lobby", "shapes"]) });

describe("every handler, under random requests", { timeout: 120_000 }, () => {
  it("answers below 500 and reports no background error", async () => {
    const succeeded = new Set<string>();
    const statuses = new Set<number>();
    const run = () =>
      fc.assert(
        fc.asyncProperty(
          fc.array(liveSpec, { minLength: 1, maxLength: 3 }),
          fc.array(requestSpec, { minLength: 1, maxLength: 8 }),
          fc.boolean(),
          async (lives, specs, concurrently) => {
            const server = await createFuzzServer(
              createDemoServices({ history: new MemoryChatHistory(), adminToken: ADMIN_TOKEN }),
            );
            try {
              for (const live of lives)
                await server.openLive(live.identity, `channels=${live.channels.join(",")}`);
              for (const { target, status } of await sendAll(server, specs, concurrently)) {
                expect(status, target).toBeLessThan(500);
                statuses.add(status);
                if (status === 200) succeeded.add(target);
              }
            } finally {
              await server.close();
            }
            expect(server.errors).toEqual([]);
          },
        ),
        { numRuns: 100 },
      );
    // Random requests reach some services' success path rarely (PostObjectToChannel needs a valid
    // owned subscription, channel and selector at once): more rounds until every one has, or 5.
    for (let round = 0; round < 5 && succeeded.size < targets.length; round++) await run();
    // Not vacuous: every endpoint and service got past validation at least once...
    expect([...succeeded].sort()).toEqual([...targets].sort());
    // ...and was refused for every kind of reason.
    expect([...statuses]).toEqual(expect.arrayContaining([400, 403, 404, 413]));
  });
});
