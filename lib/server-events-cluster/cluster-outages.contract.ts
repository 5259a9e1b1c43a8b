import { expect, it } from "vitest";
import type { ClusterServerEvents } from "./cluster-server-events";
import type { ClusterTestContext } from "./cluster-test-context";

/** Listener cuts, dead and stopping instances: nothing is lost, nobody is left behind, readiness tells the truth. */
export function clusterOutageTests<E extends ClusterServerEvents>(
  context: ClusterTestContext<E>,
): void {
  const { startInstance, connect, harness } = context;

  it("applies channel changes sent while the owner's listener was down, in order", async () => {
    const owner = await startInstance({}, { reconnectBaseMs: 1_000 });
    const other = await startInstance();
    const mover = await connect(owner, { channels: ["one"], displayName: "mover" });
    const watcher = await connect(other, { channels: ["two", "three"] });
    await harness.cutListener(owner);
    await expect.poll(() => harness.isListening(owner)).toBe(false);
    // Sent while the owner cannot hear anything: they must still reach it, once, in order.
    await other.subscribeToChannels(mover.id, ["two"]);
    await other.subscribeToChannels(mover.id, ["three"]);
    await other.unsubscribeFromChannels(mover.id, ["two"]);
    expect(harness.isListening(owner)).toBe(false);
    // Applied in the order sent, or "two" would still be there (or "three" missing).
    await expect
      .poll(() => owner.local.localSubscription(mover.id)?.channels)
      .toEqual(["one", "three"]);
    const update = await watcher.frames.until(
      (f) => f.selector === "cmd.onUpdate" && f.channel === "three",
    );
    expect(update.body).toMatchObject({ displayName: "mover", channels: "one,three" });
    await expect
      .poll(async () => (await other.getSubscriptionInfo(mover.id))?.channels)
      .toEqual(["one", "three"]);
  });

  it("is not ready while its listener reconnects, and ready again once it is back", async () => {
    const events = await startInstance({}, { reconnectBaseMs: 300 });
    expect(await events.checkReadiness()).toEqual({ ready: true });
    await harness.cutListener(events);
    await expect.poll(() => harness.isListening(events)).toBe(false);
    // /readyz answers 503 with this reason: a load balancer sends no streams that would miss
    // messages; what was published meanwhile is caught up on reconnect.
    const readiness = await events.checkReadiness();
    expect(readiness.ready).toBe(false);
    expect(readiness.ready ? "" : readiness.reason).toMatch(/listener/u);
    await expect.poll(() => events.checkReadiness(), { timeout: 10_000 }).toEqual({ ready: true });
  });

  it(`loses nothing when the listener connection is cut mid-stream (${harness.cutDescription})`, async () => {
    const [publisher, receiver] = [await startInstance(), await startInstance()];
    const onReceiver = await connect(receiver, { channels: ["flow"] });
    const total = 150;
    for (let n = 0; n < total; n++) {
      if (n === 40 || n === 100) await harness.cutListener(receiver);
      await publisher.notifyChannel("flow", "cmd.n", n);
    }
    const received: number[] = [];
    while (received.length < total) {
      const frame = await onReceiver.frames.until((f) => f.selector === "cmd.n");
      received.push(frame.body as number);
    }
    expect(received).toEqual(Array.from({ length: total }, (_, n) => n));
    expect((await receiver.getStats()).listenerReconnects).toBeGreaterThanOrEqual(1);
  });

  it("expires the subscriptions of a dead instance and sends their onLeave", async () => {
    const short = { idleTimeoutMs: 300 };
    const [doomed, survivor] = [await startInstance(short), await startInstance(short)];
    const ghost = await connect(doomed, { channels: ["room"], displayName: "ghost" });
    const alive = await connect(survivor, { channels: ["room"], displayName: "alive" });
    const beat = setInterval(() => void survivor.pulse(alive.id), 50);
    try {
      // Dies without unregistering anything: its rows stay behind, nobody pulses them.
      await doomed.stop();
      const leave = await alive.frames.until(
        (f) =>
          f.selector === "cmd.onLeave" &&
          (f.body as { displayName: string }).displayName === "ghost",
      );
      expect(leave.channel).toBe("room");
      expect(await survivor.getSubscriptionInfo(ghost.id)).toBeNull();
      expect(await survivor.getSubscriptionInfo(alive.id)).not.toBeNull();
    } finally {
      clearInterval(beat);
    }
  });

  it("keeps a subscription alive cluster-wide through its own pulse()", async () => {
    const short = { idleTimeoutMs: 300 };
    const [owner, other] = [await startInstance(short), await startInstance(short)];
    const ada = await connect(owner, { channels: ["room"], displayName: "ada" });
    const beat = setInterval(() => void ada.sub.pulse(), 50);
    try {
      // Three idle timeouts: either instance's housekeeping would have expired a stale row.
      await new Promise((resolve) => setTimeout(resolve, 900));
      expect(await other.getSubscriptionInfo(ada.id)).not.toBeNull();
      expect(await owner.getSubscriptionInfo(ada.id)).not.toBeNull();
    } finally {
      clearInterval(beat);
    }
  });

  it("graceful stop sends onLeave for its subscribers to the other instances", async () => {
    const [leaving, staying] = [await startInstance(), await startInstance()];
    await connect(leaving, { channels: ["room"], displayName: "leaving" });
    const stayer = await connect(staying, { channels: ["room"] });
    await leaving.stop({ notify: true });
    const leave = await stayer.frames.until((f) => f.selector === "cmd.onLeave");
    expect(leave.body).toMatchObject({ displayName: "leaving" });
    expect(await staying.getAllSubscriptionsDetails()).toHaveLength(1);
  });

  it("graceful stop ends its streams first, then every subscriber's onLeave reaches the others", async () => {
    const [leaving, staying] = [await startInstance(), await startInstance()];
    const names = Array.from({ length: 40 }, (_, n) => `leaving${n}`);
    const goners = [];
    for (const displayName of names)
      goners.push(
        await connect(leaving, { channels: ["room", `own-${displayName}`], displayName }),
      );
    const stayer = await connect(staying, { channels: ["room"] });
    expect(await staying.getAllSubscriptionsDetails()).toHaveLength(names.length + 1);

    await leaving.stop({ notify: true });
    // Each stream ended with a retry hint, before the leaves: none was sent the others' onLeave.
    for (const goner of goners) {
      const rest = await goner.frames.rest();
      expect(rest).toMatch(/^retry: \d+\n\n$/mu);
      expect(rest).not.toContain("cmd.onLeave");
    }
    const left = new Set<string>();
    while (left.size < names.length) {
      const leave = await stayer.frames.until((f) => f.selector === "cmd.onLeave");
      left.add((leave.body as { displayName: string }).displayName);
    }
    expect([...left].sort()).toEqual([...names].sort());
    expect(await staying.getAllSubscriptionsDetails()).toHaveLength(1);
  });

  it("graceful stop can keep its streams open until the onLeave are out (next start)", async () => {
    const [leaving, staying] = [await startInstance(), await startInstance()];
    const goner = await connect(leaving, { channels: ["room"], displayName: "goner" });
    const stayer = await connect(staying, { channels: ["room"], displayName: "stayer" });
    await goner.frames.until((f) => f.selector === "cmd.onJoin" && hasName(f, "stayer"));
    await leaving.stop({ notify: true, keepStreamsUntilLeft: true });
    const leave = await stayer.frames.until((f) => f.selector === "cmd.onLeave");
    expect(leave.body).toMatchObject({ displayName: "goner" });
    expect(await goner.frames.rest()).toMatch(/retry: \d+/u);
  });
}

function hasName(frame: { body: unknown }, displayName: string): boolean {
  return (frame.body as { displayName?: string } | null)?.displayName === displayName;
}
