import { afterEach, describe, expect, it } from "vitest";
import { MemoryServerEvents, type PublishRequest } from "@/lib/server-events";
import { connectSubscriber } from "@/lib/testing/subscriber";
import type { ClusterBus, ClusterStore, StoredSubscription } from "./cluster";
import { ClusterHousekeeping } from "./cluster-housekeeping";

/** A store and a bus that fail while `down` is true, and remember what went through them. */
function flakyBackend() {
  const state = { down: false, removed: [] as string[], published: [] as PublishRequest[] };
  const failIfDown = () => {
    if (state.down) throw new Error("ECONNREFUSED");
  };
  const store = {
    remove: (id: string) => {
      failIfDown();
      state.removed.push(id);
      return Promise.resolve(null);
    },
    touch: () => Promise.resolve(),
    idsOf: () => Promise.resolve(new Set<string>()),
    removeExpired: () => Promise.resolve([]),
  } as unknown as ClusterStore;
  const bus = {
    publish: (request: PublishRequest) => {
      failIfDown();
      state.published.push(request);
      return Promise.resolve();
    },
    pruneMessages: () => Promise.resolve(),
  } as unknown as ClusterBus;
  return { state, store, bus };
}

const row: StoredSubscription = {
  id: "gone",
  instanceId: "other",
  channels: ["room", "lobby"],
  meta: { displayName: "ada" },
} as unknown as StoredSubscription;

const local = new MemoryServerEvents({ onError: () => {} });
afterEach(() => local.stop());

describe("ClusterHousekeeping", () => {
  it("publishes an onLeave it could not publish on the next pass: its row is gone already", async () => {
    const { state, store, bus } = flakyBackend();
    const housekeeping = new ClusterHousekeeping(local, { bus, store, instanceId: "me" });
    state.down = true;
    await expect(housekeeping.announceLeave(row)).rejects.toThrow(/ECONNREFUSED/u);
    await housekeeping.run(); // still down: nothing lost, nothing sent
    state.down = false;
    await housekeeping.run();
    expect(state.published.map((p) => [p.target, p.selector])).toEqual([
      [{ kind: "channel", value: "room" }, "cmd.onLeave"],
      [{ kind: "channel", value: "lobby" }, "cmd.onLeave"],
    ]);
    await housekeeping.run();
    expect(state.published).toHaveLength(2); // once
  });

  it("removes the row of a subscription that left while the store was down, on the next pass", async () => {
    const { state, store, bus } = flakyBackend();
    const housekeeping = new ClusterHousekeeping(local, { bus, store, instanceId: "me" });
    const leaver = await connectSubscriber(local, { channels: ["room"] });
    state.down = true;
    expect(await housekeeping.removed(leaver.sub)).toBe(true); // its onLeave goes now
    state.down = false;
    await housekeeping.run();
    expect(state.removed).toEqual([leaver.id]);
    await housekeeping.run();
    expect(state.removed).toEqual([leaver.id]);
  });
});
