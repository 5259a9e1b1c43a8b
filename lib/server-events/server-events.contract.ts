import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  connectSubscriber,
  frameLabel as label,
  readUntil,
  type TestSubscriber as Client,
  type TestSubscriberInit,
} from "@/lib/testing/subscriber";
import type { ServerEventsOptions } from "./options";
import type { ServerEvents } from "./server-events";

export interface ServerEventsUnderTest {
  events: ServerEvents;
  cleanup(): Promise<void>;
}

/** Builds a started provider; `options` are those a test needs on top of the suite's defaults. */
export type CreateServerEvents = (options: ServerEventsOptions) => Promise<ServerEventsUnderTest>;

/**
 * The behaviour every provider shares (ServiceStack's IServerEvents semantics plus our replay):
 * run with `describeServerEvents("memory", create)`, `describeServerEvents("postgres", create)`.
 * Frames are read from real event streams; "not received" is shown by a marker sent afterwards.
 * @see docs/architecture.md, "Adding a provider"
 */
export function describeServerEvents(name: string, create: CreateServerEvents): void {
  describe(`ServerEvents contract: ${name}`, () => {
    let clock = 1_000_000;
    let underTest: ServerEventsUnderTest[] = [];
    let clients: Client[] = [];

    async function start(options: ServerEventsOptions = {}): Promise<ServerEvents> {
      const created = await create({ onError: () => undefined, ...options });
      underTest.push(created);
      return created.events;
    }

    async function connect(
      events: ServerEvents,
      init: TestSubscriberInit = {},
      lastEventId?: number,
    ): Promise<Client> {
      const client = await connectSubscriber(events, init, lastEventId);
      clients.push(client);
      return client;
    }

    beforeEach(() => {
      clock = 1_000_000;
    });

    afterEach(async () => {
      await Promise.all(clients.map((client) => client.frames.cancel().catch(() => undefined)));
      await Promise.all(underTest.map((created) => created.cleanup()));
      underTest = [];
      clients = [];
    });

    describe("notify", () => {
      it("lets the server observe every message, received by anyone or not, until it stops", async () => {
        const events = await start();
        const member = await connect(events, { channels: ["a"] });
        const seen: string[] = [];
        // Presence frames are observed too; the member's own onJoin may still be on its way.
        const stop = events.observeMessages((m) => {
          if (m.selector !== "cmd.onJoin") seen.push(`${m.selector}:${m.json}`);
        });
        await events.notifyChannel("nobody-here", "cmd.unheard", 1);
        await events.notifyChannel("a", "cmd.heard", 2);
        await member.frames.until((f) => f.selector === "cmd.heard");
        await expect.poll(() => seen).toEqual(["cmd.unheard:1", "cmd.heard:2"]);
        stop();
        await events.notifyChannel("a", "cmd.after", 3);
        await member.frames.until((f) => f.selector === "cmd.after");
        expect(seen).toEqual(["cmd.unheard:1", "cmd.heard:2"]);
      });

      it("notifyAll reaches everyone, with increasing positive ids and no channel prefix", async () => {
        const events = await start();
        const a = await connect(events, { channels: ["a"] });
        const b = await connect(events, { channels: ["b"] });
        await events.notifyAll("cmd.announce", { text: "hi" });
        await events.notifyAll("cmd.announce", { text: "again" });
        for (const client of [a, b]) {
          const first = await client.frames.until((f) => f.selector === "cmd.announce");
          const second = await client.frames.next();
          expect(first).toMatchObject({ channel: undefined, body: { text: "hi" } });
          expect(second).toMatchObject({ selector: "cmd.announce", body: { text: "again" } });
          expect(first.id).toBeGreaterThan(client.connectFrame.id);
          expect(second.id).toBeGreaterThan(first.id);
        }
      });

      it("notifyChannel reaches members only, as channel@selector", async () => {
        const events = await start({ notifyChannelOfSubscriptions: false });
        const member = await connect(events, { channels: ["a", "b"] });
        const outsider = await connect(events, { channels: ["c"] });
        await events.notifyChannel("b", "cmd.chat", { text: "for b" });
        await events.notifyAll("cmd.marker", null);
        expect((await readUntil(member, "cmd.marker")).map(label)).toEqual([
          "b@cmd.chat",
          "cmd.marker",
        ]);
        expect((await readUntil(outsider, "cmd.marker")).map(label)).toEqual(["cmd.marker"]);
      });

      it("targets a subscription, a user id, a user name and a session", async () => {
        const events = await start({ notifyChannelOfSubscriptions: false });
        const ada = await connect(events, { userId: "u1", userName: "ada", sessionId: "s1" });
        const bob = await connect(events, { userId: "u2", userName: "bob", sessionId: "s2" });
        await events.notifySubscription(ada.id, "cmd.toSub", 1);
        await events.notifyUserId("u1", "cmd.toUserId", 2);
        await events.notifyUserName("ada", "cmd.toUserName", 3);
        await events.notifySession("s1", "cmd.toSession", 4);
        await events.notifyAll("cmd.marker", null);
        expect((await readUntil(ada, "cmd.marker")).map((f) => [f.selector, f.body])).toEqual([
          ["cmd.toSub", 1],
          ["cmd.toUserId", 2],
          ["cmd.toUserName", 3],
          ["cmd.toSession", 4],
          ["cmd.marker", null],
        ]);
        expect((await readUntil(bob, "cmd.marker")).map(label)).toEqual(["cmd.marker"]);
      });

      it("applies the channel filter of targeted notifies, without a prefix", async () => {
        const events = await start({ notifyChannelOfSubscriptions: false });
        const inA = await connect(events, { userId: "u1", channels: ["a"] });
        const inB = await connect(events, { userId: "u1", channels: ["b"] });
        await events.notifyUserId("u1", "cmd.filtered", { x: 1 }, "a");
        await events.notifyAll("cmd.marker", null);
        expect((await readUntil(inA, "cmd.marker")).map(label)).toEqual([
          "cmd.filtered",
          "cmd.marker",
        ]);
        expect((await readUntil(inB, "cmd.marker")).map(label)).toEqual(["cmd.marker"]);
      });

      it("sends raw JSON as given by the *Json twins", async () => {
        const events = await start({ notifyChannelOfSubscriptions: false });
        const client = await connect(events, { userId: "u1", channels: ["a"] });
        await events.notifyChannelJson("a", "cmd.raw", '{"b":2,"a":1}');
        await events.notifyAllJson("cmd.text", '"plain"');
        await events.notifySubscriptionJson(client.id, "cmd.empty", "");
        await events.notifyUserIdJson("u1", "cmd.marker", "[1,2]");
        const frames = await readUntil(client, "cmd.marker");
        expect(frames.map((f) => [label(f), f.json])).toEqual([
          ["a@cmd.raw", '{"b":2,"a":1}'],
          ["cmd.text", '"plain"'],
          ["cmd.empty", ""],
          ["cmd.marker", "[1,2]"],
        ]);
      });
    });

    describe("presence", () => {
      it("sends onJoin for each channel in order, to the joiner and to members", async () => {
        const events = await start();
        const member = await connect(events, { channels: ["b"] });
        await member.frames.until((f) => f.selector === "cmd.onJoin");
        const joiner = await connect(events, { channels: ["a", "b"], displayName: "joiner" });
        const joins = [await joiner.frames.next(), await joiner.frames.next()];
        expect(joins.map(label)).toEqual(["a@cmd.onJoin", "b@cmd.onJoin"]);
        const seen = await member.frames.until((f) => f.selector === "cmd.onJoin");
        expect(seen).toMatchObject({ channel: "b", body: { displayName: "joiner" } });
        expect(Object.values(seen.body as object).every((v) => typeof v === "string")).toBe(true);
      });

      it("sends onLeave to the members but not to the leaver, and ends its stream", async () => {
        const events = await start();
        const stayer = await connect(events, { channels: ["a"] });
        const leaver = await connect(events, { channels: ["a"], displayName: "leaver" });
        await leaver.frames.next();
        await stayer.frames.until(
          (f) =>
            f.body !== null &&
            f.selector === "cmd.onJoin" &&
            (f.body as { displayName: string }).displayName === "leaver",
        );
        const info = await events.unRegister(leaver.id);
        expect(info).toMatchObject({ id: leaver.id, displayName: "leaver" });
        const leave = await stayer.frames.until((f) => f.selector === "cmd.onLeave");
        expect(leave).toMatchObject({ channel: "a", body: { displayName: "leaver" } });
        expect(await leaver.frames.ended()).toBe(true);
        expect(leaver.frames.seen.map(label)).not.toContain("a@cmd.onLeave");
        expect(await events.getSubscriptionInfo(leaver.id)).toBeNull();
        expect(await events.unRegister(leaver.id)).toBeNull();
      });

      it("sends onUpdate to the old and the new channels' members on a channel change", async () => {
        const events = await start();
        const inA = await connect(events, { channels: ["a"] });
        const inC = await connect(events, { channels: ["c"] });
        const mover = await connect(events, { channels: ["a", "b"], displayName: "mover" });
        await events.unsubscribeFromChannels(mover.id, ["a"]);
        await events.subscribeToChannels(mover.id, ["c"]);
        const update = await inA.frames.until((f) => f.selector === "cmd.onUpdate");
        expect(update).toMatchObject({ channel: "a", body: { channels: "b" } });
        const joined = await inC.frames.until((f) => f.selector === "cmd.onUpdate");
        expect(joined).toMatchObject({ channel: "c", body: { channels: "b,c" } });
        await expect
          .poll(() => events.getSubscriptionInfo(mover.id))
          .toMatchObject({
            channels: ["b", "c"],
          });
        await events.notifyChannel("a", "cmd.afterMove", null);
        await events.notifyAll("cmd.marker", null);
        expect((await readUntil(mover, "cmd.marker")).map(label)).not.toContain("a@cmd.afterMove");
      });

      it("takes a change of both kinds whole, or refuses it whole", async () => {
        const events = await start();
        const full = Array.from({ length: 100 }, (_, i) => `room-${i}`);
        const mover = await connect(events, { channels: full });
        await events.changeChannels(mover.id, { unsubscribe: ["room-0"], subscribe: ["new"] });
        await expect
          .poll(async () => (await events.getSubscriptionInfo(mover.id))?.channels)
          .toContain("new");
        const overfull = events.changeChannels(mover.id, {
          unsubscribe: ["room-1"],
          subscribe: ["x", "y"],
        });
        await expect(overfull).rejects.toMatchObject({ status: 400 });
        const channels = (await events.getSubscriptionInfo(mover.id))?.channels;
        expect(channels).toHaveLength(100);
        expect(channels).toContain("room-1");
      });
    });

    describe("subscriptions", () => {
      it("lists subscriptions and their public meta", async () => {
        const events = await start({ notifyChannelOfSubscriptions: false });
        const a = await connect(events, { userId: "u1", channels: ["a"], displayName: "A" });
        await connect(events, { userId: "u1", channels: ["b", "a"], displayName: "B" });
        await connect(events, { userId: "u2", channels: ["c"], displayName: "C" });
        const info = await events.getSubscriptionInfo(a.id);
        expect(info).toMatchObject({ id: a.id, userId: "u1", channels: ["a"], displayName: "A" });
        expect(
          (await events.getSubscriptionInfosByUserId("u1")).map((s) => s.displayName).sort(),
        ).toEqual(["A", "B"]);
        expect((await events.getAllSubscriptionInfos()).length).toBe(3);
        const details = await events.getSubscriptionsDetails(["b", "a"]);
        expect(details.map((meta) => meta.displayName)).toEqual(["B", "A"]);
        expect(details[0]).not.toHaveProperty("id");
        // ServiceStack's `params string[]`: the channels as arguments port unchanged.
        expect(await events.getSubscriptionsDetails("b", "a")).toEqual(details);
        const all = await events.getAllSubscriptionsDetails();
        expect(all.map((meta) => meta.displayName).sort()).toEqual(["A", "B", "C"]);
        expect(await events.getSubscriptionInfo("nope")).toBeNull();
      });

      it("answers a heartbeat with cmd.onHeartbeat, and false for an unknown id", async () => {
        const events = await start({ notifyChannelOfSubscriptions: false });
        const client = await connect(events, { displayName: "beat" });
        expect(await events.pulse(client.id)).toBe(true);
        const beat = await client.frames.until((f) => f.selector === "cmd.onHeartbeat");
        expect(beat).toMatchObject({ channel: undefined, body: { displayName: "beat" } });
        expect(await events.pulse("unknown")).toBe(false);
      });

      it("expires idle subscriptions: onLeave to the members, stream ended", async () => {
        const events = await start({ idleTimeoutMs: 30_000, now: () => clock });
        const idle = await connect(events, { channels: ["a"], displayName: "idle" });
        clock += 20_000;
        const fresh = await connect(events, { channels: ["a"], displayName: "fresh" });
        // Its onJoin reaches idle first: a late delivery would find idle expired and drop it.
        await idle.frames.until((f) => f.selector === "cmd.onJoin" && f.json.includes("fresh"));
        clock += 15_000;
        expect(await events.removeExpiredSubscriptions()).toBe(1);
        const leave = await fresh.frames.until((f) => f.selector === "cmd.onLeave");
        expect(leave.body).toMatchObject({ displayName: "idle" });
        expect(await idle.frames.ended()).toBe(true);
        expect(await events.getSubscriptionInfo(idle.id)).toBeNull();
        expect(await events.getSubscriptionInfo(fresh.id)).not.toBeNull();
      });

      it("keeps a subscription alive while it sends heartbeats", async () => {
        const events = await start({ idleTimeoutMs: 30_000, now: () => clock });
        const client = await connect(events);
        clock += 20_000;
        expect(await events.pulse(client.id)).toBe(true);
        clock += 20_000;
        await events.removeExpiredSubscriptions();
        expect(await events.getSubscriptionInfo(client.id)).not.toBeNull();
      });

      it("hands out increasing sequence numbers per name", async () => {
        const events = await start();
        const first = await events.getNextSequence("contract");
        expect(await events.getNextSequence("contract")).toBe(first + 1);
        expect(await events.getNextSequence("contract-other")).toBeGreaterThan(0);
      });

      it("reset forgets every subscription without ending streams", async () => {
        const events = await start({ notifyChannelOfSubscriptions: false });
        const client = await connect(events);
        await events.reset();
        expect(await events.getAllSubscriptionInfos()).toEqual([]);
        expect(await events.pulse(client.id)).toBe(false);
        expect(client.sub.isClosed).toBe(false);
      });
    });

    describe("replay (Last-Event-ID)", () => {
      it("replays what was missed, addressed to the subscription, then goes live", async () => {
        const events = await start({ notifyChannelOfSubscriptions: false });
        const first = await connect(events, { channels: ["a"], userId: "u1" });
        await events.notifyChannel("a", "cmd.one", 1);
        const one = await first.frames.until((f) => f.selector === "cmd.one");
        await first.frames.cancel();
        await events.notifyChannel("a", "cmd.two", 2);
        await events.notifyChannel("elsewhere", "cmd.notForMe", 0);
        await events.notifyUserId("u1", "cmd.three", 3);

        const resumed = await connect(events, { channels: ["a"], userId: "u1" }, one.id);
        expect(resumed.connectFrame.body).toMatchObject({ recovered: "true" });
        await events.notifyChannel("a", "cmd.live", 4);
        const frames = await readUntil(resumed, "cmd.live");
        expect(frames.map(label)).toEqual(["a@cmd.two", "cmd.three", "a@cmd.live"]);
        const ids = frames.map((f) => f.id);
        expect([...ids].sort((x, y) => x - y)).toEqual(ids);
      });

      it("says recovered=false for a Last-Event-ID it cannot vouch for", async () => {
        const events = await start();
        const client = await connect(events, {}, Number.MAX_SAFE_INTEGER - 1);
        expect(client.connectFrame.body).toMatchObject({ recovered: "false" });
      });
    });
  });
}
