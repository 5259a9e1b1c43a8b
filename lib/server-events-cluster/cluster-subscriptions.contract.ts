import { expect, it } from "vitest";
import type { ClusterServerEvents } from "./cluster-server-events";
import type { ClusterTestContext } from "./cluster-test-context";

/** A subscription is one thing cluster-wide: presence, listings, heartbeats and channel changes work through any instance. */
export function clusterSubscriptionTests<E extends ClusterServerEvents>(
  context: ClusterTestContext<E>,
): void {
  const { startInstance, connect } = context;

  it("shares presence and listings across instances", async () => {
    const [a, b] = [await startInstance(), await startInstance()];
    const ada = await connect(a, { channels: ["room"], displayName: "ada" });
    const bob = await connect(b, { channels: ["room"], displayName: "bob" });
    const join = await ada.frames.until(
      (f) =>
        f.selector === "cmd.onJoin" && (f.body as { displayName: string }).displayName === "bob",
    );
    expect(join.channel).toBe("room");
    for (const events of [a, b]) {
      const names = (await events.getSubscriptionsDetails(["room"])).map((m) => m.displayName);
      expect(names).toEqual(["ada", "bob"]);
      expect(await events.getSubscriptionInfo(ada.id)).toMatchObject({ displayName: "ada" });
    }
    // Unregistered through the other instance: the owner closes the stream, bob sees onLeave.
    expect(await b.unRegister(ada.id)).toMatchObject({ id: ada.id });
    const leave = await bob.frames.until((f) => f.selector === "cmd.onLeave");
    expect(leave.body).toMatchObject({ displayName: "ada" });
    expect(await ada.frames.ended()).toBe(true);
    expect(ada.frames.seen.map((f) => f.selector)).not.toContain("cmd.onLeave");
    expect(await a.getAllSubscriptionsDetails()).toEqual([
      expect.objectContaining({ displayName: "bob" }),
    ]);
  });

  it("answers a heartbeat received by another instance on the subscriber's stream", async () => {
    const [a, b] = [await startInstance(), await startInstance()];
    const ada = await connect(a, { displayName: "ada" });
    expect(await b.pulse(ada.id)).toBe(true);
    const beat = await ada.frames.until((f) => f.selector === "cmd.onHeartbeat");
    expect(beat.body).toMatchObject({ displayName: "ada" });
    expect(await b.pulse("unknown-id")).toBe(false);
  });

  it("changes channels through another instance", async () => {
    const [a, b] = [await startInstance(), await startInstance()];
    const mover = await connect(a, { channels: ["one"], displayName: "mover" });
    const watcher = await connect(b, { channels: ["two"] });
    await b.subscribeToChannels(mover.id, ["two"]);
    const update = await watcher.frames.until((f) => f.selector === "cmd.onUpdate");
    expect(update).toMatchObject({ channel: "two", body: { channels: "one,two" } });
    await expect
      .poll(async () => (await b.getSubscriptionInfo(mover.id))?.channels)
      .toEqual(["one", "two"]);
    await expect(b.subscribeToChannels("unknown-id", ["x"])).rejects.toMatchObject({
      code: "not_found",
    });
  });

  it("refuses, through another instance, a channel change its owner would refuse", async () => {
    const [a, b] = [await startInstance(), await startInstance()];
    const mover = await connect(a, { channels: ["one"] });
    const tooMany = Array.from({ length: 100 }, (_, i) => `room-${i}`);
    // 101 channels in all: the owner would refuse it, so the instance asked answers 400 itself.
    const refused = b.subscribeToChannels(mover.id, tooMany);
    await expect(refused).rejects.toMatchObject({ status: 400 });
    await expect(refused).rejects.toThrow(/at most 100 channels/u);
    await b.subscribeToChannels(mover.id, tooMany.slice(0, 99));
    await expect
      .poll(async () => (await b.getSubscriptionInfo(mover.id))?.channels.length)
      .toBe(100);
    // Full: a swap (leave one, join one) is accepted whole; one that would end past the limit
    // is refused whole, its unsubscribe included.
    await b.changeChannels(mover.id, { unsubscribe: ["one"], subscribe: ["swapped"] });
    await expect
      .poll(async () => (await b.getSubscriptionInfo(mover.id))?.channels)
      .toContain("swapped");
    const overfull = b.changeChannels(mover.id, {
      unsubscribe: ["room-0"],
      subscribe: ["x", "y"],
    });
    await expect(overfull).rejects.toMatchObject({ status: 400 });
    const channels = (await a.getSubscriptionInfo(mover.id))?.channels;
    expect(channels).toHaveLength(100);
    expect(channels).toContain("room-0");
  });

  it("lets a subscription's own methods reach the members on other instances", async () => {
    const [owner, other] = [await startInstance(), await startInstance()];
    const ada = await connect(owner, { channels: ["room"], displayName: "ada" });
    const bob = await connect(other, { channels: ["room", "lobby"], displayName: "bob" });
    const named = (name: string) => (body: unknown) =>
      (body as { displayName?: string }).displayName === name;
    const isAda = named("ada");
    await ada.frames.until((f) => f.selector === "cmd.onJoin" && named("bob")(f.body));

    await ada.sub.subscribeToChannels(["lobby"]);
    const update = await bob.frames.until((f) => f.selector === "cmd.onUpdate" && isAda(f.body));
    expect(update.body).toMatchObject({ channels: "room,lobby" });
    expect((await other.getSubscriptionInfo(ada.id))?.channels).toEqual(["room", "lobby"]);

    await ada.sub.unsubscribeFromChannels(["room"]);
    await expect
      .poll(async () => (await other.getSubscriptionInfo(ada.id))?.channels)
      .toEqual(["lobby"]);

    // publish() goes to the subscription itself, wherever it was asked from: here its owner.
    await ada.sub.publish("cmd.note", { text: "to ada" });
    const note = await ada.frames.until((f) => f.selector === "cmd.note");
    expect(note.body).toEqual({ text: "to ada" });

    await ada.sub.unsubscribeAsync();
    const leave = await bob.frames.until((f) => f.selector === "cmd.onLeave" && isAda(f.body));
    expect(leave.channel).toBe("lobby");
    expect(await other.getSubscriptionInfo(ada.id)).toBeNull();
    expect(await ada.frames.ended()).toBe(true);
  });
}
