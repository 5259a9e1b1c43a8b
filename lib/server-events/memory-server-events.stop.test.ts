import { describe, expect, it } from "vitest";
import { connectSubscriber } from "@/lib/testing/subscriber";
import { MemoryServerEvents } from "./memory-server-events";

/** Lets the event loop run everything already queued (the store's write stays pending). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("MemoryServerEvents.stop", () => {
  it("waits for a leave already under way, so no store write outlives it", async () => {
    let finishRemoval: () => void = () => undefined;
    const writes: string[] = [];
    const events = new MemoryServerEvents(
      { onError: () => undefined },
      {
        // A cluster store's removal: slow, as a round trip to Postgres or Redis is.
        observer: {
          removed: () =>
            new Promise<void>((resolve) => {
              finishRemoval = () => {
                writes.push("row removed");
                resolve();
              };
            }),
        },
      },
    );
    await events.start();
    const subscriber = await connectSubscriber(events, { channels: ["home"] });

    // A closed stream starts the leave; the host stops the provider right after, then its pool.
    const leaving = events.unRegister(subscriber.id);
    const stopping = events.stop().then(() => writes.push("stopped"));
    await settle();
    expect(writes).toEqual([]);

    finishRemoval();
    await Promise.all([leaving, stopping]);
    expect(writes).toEqual(["row removed", "stopped"]);
  });

  it("stops at once when nothing is leaving", async () => {
    const events = new MemoryServerEvents({ onError: () => undefined });
    await events.start();
    await connectSubscriber(events, { channels: ["home"] });
    await expect(events.stop()).resolves.toBeUndefined();
  });
});
