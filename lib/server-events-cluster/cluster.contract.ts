import { afterEach, describe, expect, it } from "vitest";
import type { ServerEventsOptions } from "@/lib/server-events";
import {
  connectSubscriber,
  frameLabel,
  readUntil,
  type TestSubscriber,
  type TestSubscriberInit,
} from "@/lib/testing/subscriber";
import type { ClusterServerEvents } from "./cluster-server-events";

/** How a cluster provider is started and hurt; the scenarios are the same for every backend. */
export interface ClusterHarness<E extends ClusterServerEvents> {
  /**
   * A started instance on the shared backend, with short polling/probe/reconnect timings; the
   * first reconnect waits `reconnectBaseMs` (half of it to all of it, jittered) when given.
   */
  start(options: ServerEventsOptions, timings?: { reconnectBaseMs?: number }): Promise<E>;
  /** Drops the instance's listening connection the way an outage would. */
  cutListener(events: E): Promise<void>;
  /** Whether the listening connection is up (false from the moment a cut is noticed). */
  isListening(events: E): boolean;
  /** How the cut is made, for the test's name. */
  cutDescription: string;
  /** Empties the shared state between tests. */
  clear(): Promise<void>;
}

/**
 * Several instances of one provider on one backend, in one process (as the socket.io Postgres
 * adapter tests its adapter): every notify family, presence, remote heartbeats and channel
 * changes, big payloads, ordering, a cut listener, replay on another instance, instance death.
 * Run with `describeCluster("postgres", harness)`, `describeCluster("redis", harness)`.
 */
export function describeCluster<E extends ClusterServerEvents>(
  name: string,
  harness: ClusterHarness<E>,
): void {
  describe(`cluster: ${name}`, () => {
    let instances: E[] = [];
    let subscribers: TestSubscriber[] = [];
    const errors: unknown[] = [];

    afterEach(async () => {
      await Promise.all(subscribers.map((s) => s.frames.cancel().catch(() => undefined)));
      await Promise.all(instances.map((events) => events.stop()));
      instances = [];
      subscribers = [];
      errors.length = 0;
      await harness.clear();
    });

    async function startInstance(
      options: ServerEventsOptions = {},
      timings?: { reconnectBaseMs?: number },
    ): Promise<E> {
      const events = await harness.start(
        { houseKeepingIntervalMs: 50, onError: (error) => errors.push(error), ...options },
        timings,
      );
      instances.push(events);
      return events;
    }

    async function connect(
      events: E,
      init: TestSubscriberInit = {},
      lastEventId?: number,
    ): Promise<TestSubscriber> {
      const subscriber = await connectSubscriber(events, init, lastEventId);
      subscribers.push(subscriber);
      return subscriber;
    }

    it("fans out every notify family to subscribers on every instance", async () => {
      const [a, b] = [await startInstance(), await startInstance()];
      const onA = await connect(a, { channels: ["room"], userId: "u1", userName: "ada" });
      const onB = await connect(b, { channels: ["room"], userId: "u2", sessionId: "s2" });
      await b.notifyChannel("room", "cmd.chat", { from: "b" });
      await a.notifyUserName("ada", "cmd.toAda", 1);
      await a.notifySession("s2", "cmd.toSession", 2);
      await b.notifySubscription(onA.id, "cmd.toSub", 3, "room");
      await a.notifyUserId("u2", "cmd.filteredOut", 4, "elsewhere");
      await b.notifyAll("cmd.marker", null);
      const seenA = (await readUntil(onA, "cmd.marker")).map(frameLabel);
      const seenB = (await readUntil(onB, "cmd.marker")).map(frameLabel);
      expect(seenA.filter((l) => !l.includes("onJoin"))).toEqual([
        "room@cmd.chat",
        "cmd.toAda",
        "cmd.toSub",
        "cmd.marker",
      ]);
      expect(seenB.filter((l) => !l.includes("onJoin"))).toEqual([
        "room@cmd.chat",
        "cmd.toSession",
        "cmd.marker",
      ]);
    });
    it("lets every instance observe the messages published on any instance", async () => {
      const [a, b] = [await startInstance(), await startInstance()];
      const seenOnA: string[] = [];
      a.observeMessages((message) => seenOnA.push(`${message.selector} ${message.json}`));
      // Nobody is subscribed anywhere: observers see traffic, not deliveries.
      await b.notifyChannel("room", "cmd.fromB", 1);
      await a.notifyChannel("room", "cmd.fromA", 2);
      await expect.poll(() => seenOnA).toEqual(["cmd.fromB 1", "cmd.fromA 2"]);
    });

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
      await expect
        .poll(() => events.checkReadiness(), { timeout: 10_000 })
        .toEqual({ ready: true });
    });
    it("delivers a 1 MB message intact, stored and sent by reference", async () => {
      const [a, b] = [await startInstance(), await startInstance()];
      const onB = await connect(b, { channels: ["big"] });
      const text = "é".repeat(512 * 1024);
      await a.notifyChannel("big", "cmd.big", { text });
      const frame = await onB.frames.until((f) => f.selector === "cmd.big");
      expect((frame.body as { text: string }).text).toBe(text);
      expect((await a.getStats()).spilledPayloads).toBeGreaterThanOrEqual(1);
    });
    it("keeps ids in commit order under concurrent publishers", async () => {
      const [a, b] = [await startInstance(), await startInstance()];
      const onA = await connect(a, { channels: ["c"] });
      const sends = Array.from({ length: 60 }, (_, n) =>
        (n % 2 ? a : b).notifyChannel("c", "cmd.n", n),
      );
      await Promise.all(sends);
      await b.notifyChannel("c", "cmd.marker", null);
      const frames = (await readUntil(onA, "cmd.marker")).filter((f) => f.selector === "cmd.n");
      expect(frames.map((f) => f.body as number).sort((x, y) => x - y)).toEqual(
        Array.from({ length: 60 }, (_, n) => n),
      );
      const ids = frames.map((f) => f.id);
      expect(ids).toEqual([...ids].sort((x, y) => x - y));
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
    it("replays from Last-Event-ID on another instance", async () => {
      const [a, b] = [await startInstance(), await startInstance()];
      const first = await connect(a, { channels: ["r"] });
      await a.notifyChannel("r", "cmd.one", 1);
      const one = await first.frames.until((f) => f.selector === "cmd.one");
      await first.frames.cancel();
      await a.notifyChannel("r", "cmd.two", 2);
      await a.notifyChannel("r", "cmd.three", 3);
      const resumed = await connect(b, { channels: ["r"] }, one.id);
      expect(resumed.connectFrame.body).toMatchObject({ recovered: "true" });
      await b.notifyChannel("r", "cmd.live", 4);
      const labels = (await readUntil(resumed, "cmd.live")).map(frameLabel);
      expect(labels.filter((l) => !l.includes("cmd.on"))).toEqual([
        "r@cmd.two",
        "r@cmd.three",
        "r@cmd.live",
      ]);
    });
    it("never lets presence frames push a real message out of the replay window", async () => {
      const a = await startInstance({ replayMaxMessages: 3 });
      const first = await connect(a, { channels: ["r"] });
      await a.notifyChannel("r", "cmd.one", 1);
      const one = await first.frames.until((f) => f.selector === "cmd.one");
      await first.frames.cancel();
      await a.notifyChannel("r", "cmd.two", 2);
      for (let i = 0; i < 20; i++) await a.notifyChannel("r", "cmd.onUpdate", { i });
      await a.removeExpiredSubscriptions();
      const resumed = await connect(a, { channels: ["r"] }, one.id);
      expect(resumed.connectFrame.body).toMatchObject({ recovered: "true" });
      await a.notifyChannel("r", "cmd.live", 3);
      const labels = (await readUntil(resumed, "cmd.live")).map(frameLabel);
      expect(labels.filter((l) => !l.includes("cmd.on"))).toEqual(["r@cmd.two", "r@cmd.live"]);
    });
    it("keeps a quiet channel's resume complete while a flood in another fills the window", async () => {
      const window = { replayMaxMessages: 5 };
      const [a, b] = [await startInstance(window), await startInstance(window)];
      const quiet = await connect(a, { channels: ["quiet"] });
      const loud = await connect(a, { channels: ["loud"] });
      await a.notifyChannel("quiet", "cmd.one", 1);
      await a.notifyChannel("loud", "cmd.first", 0);
      const one = await quiet.frames.until((f) => f.selector === "cmd.one");
      const first = await loud.frames.until((f) => f.selector === "cmd.first");
      await Promise.all([quiet.frames.cancel(), loud.frames.cancel()]);
      for (let i = 0; i < 20; i++) await b.notifyChannel("loud", "cmd.flood", i);
      await a.notifyChannel("quiet", "cmd.two", 2);
      await a.removeExpiredSubscriptions(); // a prune pass
      // Everything quiet sent after the cursor is still here: nothing of its own was lost.
      const resumed = await connect(b, { channels: ["quiet"] }, one.id);
      expect(resumed.connectFrame.body).toMatchObject({ recovered: "true" });
      await a.notifyChannel("quiet", "cmd.live", 3);
      const labels = (await readUntil(resumed, "cmd.live")).map(frameLabel);
      expect(labels.filter((l) => !l.includes("cmd.on"))).toEqual([
        "quiet@cmd.two",
        "quiet@cmd.live",
      ]);
      // The flooded channel's members did lose messages, and are told so.
      const flooded = await connect(b, { channels: ["loud"] }, first.id);
      expect(flooded.connectFrame.body).toMatchObject({ recovered: "false" });
    });
    it("replays at most replayMaxBytes of bodies, and says when it stopped short", async () => {
      const budget = { replayMaxBytes: 250_000, houseKeepingIntervalMs: 60_000 };
      const [a, b] = [await startInstance(budget), await startInstance(budget)];
      const watcher = await connect(b, { channels: ["big"] });
      const first = await connect(a, { channels: ["big"] });
      await a.notifyChannel("big", "cmd.small", 0);
      const small = await first.frames.until((f) => f.selector === "cmd.small");
      await first.frames.cancel();
      const body = "x".repeat(100_000);
      for (let n = 1; n <= 5; n++) await a.notifyChannel("big", "cmd.big", body);
      await a.notifyChannel("big", "cmd.marker", null);
      const bigIds = (await readUntil(watcher, "cmd.marker"))
        .filter((f) => f.selector === "cmd.big")
        .map((f) => f.id);
      expect(bigIds).toHaveLength(5);
      // 500 KB missed against a 250 KB budget: what fits comes, and the client learns it lost some.
      const resumed = await connect(b, { channels: ["big"] }, small.id);
      expect(resumed.connectFrame.body).toMatchObject({ recovered: "false" });
      await a.notifyChannel("big", "cmd.live", null);
      const replayed = await readUntil(resumed, "cmd.live");
      expect(replayed.filter((f) => f.selector === "cmd.big").length).toBeLessThanOrEqual(2);
      // Within the budget (the last two), nothing is lost.
      const recent = await connect(b, { channels: ["big"] }, bigIds[2]);
      expect(recent.connectFrame.body).toMatchObject({ recovered: "true" });
      const again = await readUntil(recent, "cmd.marker");
      expect(again.filter((f) => f.selector === "cmd.big").map((f) => f.id)).toEqual(
        bigIds.slice(3),
      );
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
  });
}
