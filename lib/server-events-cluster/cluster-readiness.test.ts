import { describe, expect, it } from "vitest";
import type { ClusterBus, ClusterStore } from "./cluster";
import { ClusterServerEvents } from "./cluster-server-events";

/** A provider whose bus listens and whose store fails every lookup with `error`. */
function failingStore(error: Error): ClusterServerEvents {
  const bus = { isListening: true, onControl: () => undefined } as unknown as ClusterBus;
  const store = { get: () => Promise.reject(error) } as unknown as ClusterStore;
  return new ClusterServerEvents({}, { createBus: () => bus, store });
}

describe("ClusterServerEvents.checkReadiness", () => {
  it("says why the store does not answer, without a connection string (/readyz is public)", async () => {
    const events = failingStore(new Error("no answer from postgres://user:secret@host/db\nstack"));
    const readiness = await events.checkReadiness();
    expect(readiness).toEqual({
      ready: false,
      reason: "the subscription store does not answer: no answer from <url>",
    });
    expect(JSON.stringify(readiness)).not.toContain("secret");
  });
});
