import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ServerEventsError } from "./errors";
import { createServerEventsHandlers } from "./http/create-handlers";
import { MemoryServerEvents } from "./memory-server-events";
import { hostileBody, hostileChannel, hostileSelector } from "./testing/arbitraries";
import { createSseCollector } from "./testing/sse-parse";
import { assertChannel, serializeMessage } from "./wire/validate";

/**
 * End to end, through the real stream handler: whatever channels, selectors and bodies are
 * published, the subscriber's raw bytes hold exactly its system frames (onConnect, one onJoin per
 * channel) plus one event per accepted publish to its channels — nothing injected, nothing lost.
 */
const origin = "http://127.0.0.1:3000";
const END = "test.end";

function isValidChannel(channel: string): boolean {
  try {
    assertChannel(channel);
    return true;
  } catch {
    return false;
  }
}

/** A channel the subscriber is in (by index) or any string at all. */
const publishTarget = fc.oneof(
  fc.record({ subscribed: fc.nat() }),
  fc.record({ any: hostileChannel }),
);
const publish = fc.record({ target: publishTarget, selector: hostileSelector, body: hostileBody });

async function openStream(events: MemoryServerEvents, channels: readonly string[]) {
  const handlers = createServerEventsHandlers({
    serverEvents: events,
    onError: (error) => {
      throw error;
    },
  });
  const query = channels.map((channel) => `channels=${encodeURIComponent(channel)}`).join("&");
  const response = await handlers.stream(new Request(`${origin}/event-stream?${query}`));
  expect(response.status).toBe(200);
  const reader = response.body!.getReader();
  const parsed = createSseCollector();
  return {
    parsed,
    async readUntil(done: () => boolean) {
      while (!done()) {
        const { value, done: ended } = await reader.read();
        if (ended) throw new Error("the stream ended");
        parsed.feed(value);
      }
    },
    cancel: () => reader.cancel(),
  };
}

describe("MemoryServerEvents on the wire", { timeout: 30_000 }, () => {
  it("writes one event per accepted publish plus the system frames, and nothing else", async () => {
    let delivered = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(hostileChannel, { maxLength: 4 }),
        fc.array(publish, { maxLength: 10 }),
        async (wanted, publishes) => {
          const errors: unknown[] = [];
          const events = new MemoryServerEvents({ onError: (error) => errors.push(error) });
          await events.start();
          const channels = wanted.filter(isValidChannel);
          const memberOf = channels.length > 0 ? channels : ["*"];
          const stream = await openStream(events, channels);
          try {
            const systemFrames = 1 + memberOf.length;
            await stream.readUntil(() => stream.parsed.events.length >= systemFrames);
            const expected: string[] = [];
            for (const { target, selector, body } of publishes) {
              const channel =
                "subscribed" in target
                  ? memberOf[target.subscribed % memberOf.length]!
                  : target.any;
              try {
                await events.notifyChannel(channel, selector, body);
              } catch (error) {
                expect(error).toBeInstanceOf(ServerEventsError);
                expect((error as ServerEventsError).status).toBe(400);
                continue;
              }
              if (memberOf.includes(channel))
                expected.push(`${channel}@${selector} ${serializeMessage(body)}`);
            }
            await events.notifyAll(END, null);
            await stream.readUntil(() => stream.parsed.events.at(-1)?.data === `${END} `);

            const { events: received, errors: parseErrors, comments, retries } = stream.parsed;
            expect([parseErrors, comments, retries]).toEqual([[], [], []]);
            expect(received).toHaveLength(systemFrames + expected.length + 1);
            expect(received.every((event) => event.event === undefined)).toBe(true);
            const data = received.map((event) => event.data);
            expect(data[0]).toMatch(/^cmd\.onConnect \{/u);
            expect(data.slice(1, systemFrames).map((line) => line.split(" ", 1)[0])).toEqual(
              memberOf.map((channel) => `${channel}@cmd.onJoin`),
            );
            expect(data.slice(systemFrames, -1)).toEqual(expected);
            const ids = received.map((event) => Number(event.id));
            for (let i = 1; i < ids.length; i++) expect(ids[i]).toBeGreaterThan(ids[i - 1]!);
            delivered += expected.length;
          } finally {
            await stream.cancel();
            await events.stop();
          }
          expect(errors).toEqual([]);
        },
      ),
      { numRuns: 100 },
    );
    expect(delivered).toBeGreaterThan(40);
  });
});
