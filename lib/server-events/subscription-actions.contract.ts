import { describe, expect, it, vi } from "vitest";
import { contractContext, type CreateServerEvents } from "./contract/contract-context";
import type { Subscription } from "./subscription";

/**
 * ServiceStack's `IEventSubscription` acting on itself, and the hooks as its docs describe them,
 * on every provider: `describeSubscriptionActions("postgres", create)` beside the main contract.
 */
export function describeSubscriptionActions(name: string, create: CreateServerEvents): void {
  describe(`Subscription actions and hooks: ${name}`, () => {
    const { start, connect } = contractContext(create);

    it("publish sends to that subscription alone, through the log: a resume replays it", async () => {
      const events = await start({ notifyChannelOfSubscriptions: false });
      const target = await connect(events);
      const other = await connect(events);
      await target.sub.publish("cmd.note", { text: "just you" });
      await other.sub.publish("cmd.marker", null);
      const note = await target.frames.until((f) => f.selector === "cmd.note");
      expect(note.body).toEqual({ text: "just you" });
      expect((await other.frames.next()).selector).toBe("cmd.marker");

      const resumed = await connect(events, {}, target.connectFrame.id);
      expect(resumed.connectFrame.body).toMatchObject({ recovered: "true" });
    });

    it("publishJson sends JSON as it is, where publish would serialize it again", async () => {
      const events = await start({ notifyChannelOfSubscriptions: false });
      const client = await connect(events);
      await client.sub.publishJson("cmd.dto", '{"id":1,"name":"Foo"}');
      await client.sub.publish("cmd.text", '{"id":1}');
      const dto = await client.frames.next();
      expect(dto.json).toBe('{"id":1,"name":"Foo"}');
      expect((await client.frames.next()).body).toBe('{"id":1}');
    });

    it("publishRaw writes whole frames as they are, and refuses anything else", async () => {
      const events = await start({ notifyChannelOfSubscriptions: false });
      const client = await connect(events);
      expect(client.sub.publishRaw("id: 0\ndata: cmd.raw {}\n\n")).toBe(true);
      expect((await client.frames.next()).selector).toBe("cmd.raw");
      expect(() => client.sub.publishRaw("data: cmd.raw {}\r\n\r\n")).toThrow(TypeError);
      expect(() => client.sub.publishRaw("data: half")).toThrow(TypeError);
    });

    it("pulse writes cmd.onHeartbeat; unsubscribeAsync ends the stream and sends onLeave", async () => {
      const events = await start();
      const leaver = await connect(events, { channels: ["a"], displayName: "leaver" });
      const member = await connect(events, { channels: ["a"] });
      expect(await leaver.sub.pulse()).toBe(true);
      await leaver.frames.until((f) => f.selector === "cmd.onHeartbeat");
      await leaver.sub.unsubscribeAsync();
      const leave = await member.frames.until((f) => f.selector === "cmd.onLeave");
      expect(leave.body).toMatchObject({ displayName: "leaver" });
      expect(await leaver.frames.ended()).toBe(true);
      expect(await events.getSubscriptionInfo(leaver.id)).toBeNull();
    });

    it("channel changes made on the subscription go through the index and the listings", async () => {
      const events = await start({ notifyChannelOfSubscriptions: false });
      const client = await connect(events, { channels: ["a"] });
      await client.sub.subscribeToChannels(["b"]);
      await events.notifyChannel("b", "cmd.inB", null);
      expect((await client.frames.next()).channel).toBe("b");
      expect((await events.getSubscriptionsDetails(["b"])).map((m) => m.channels)).toEqual(["a,b"]);
      await client.sub.unsubscribeFromChannels(["a"]);
      expect(await events.getSubscriptionsDetails(["a"])).toEqual([]);
    });

    it("unRegister takes the subscription itself as well as its id", async () => {
      const events = await start({ notifyChannelOfSubscriptions: false });
      const client = await connect(events);
      expect((await events.unRegister(client.sub))?.id).toBe(client.id);
      expect(await events.unRegister(client.sub)).toBeNull();
    });

    it("runs onUnsubscribe, the subscription's own onUnsubscribe, then onDispose after onLeave", async () => {
      const order: string[] = [];
      const events = await start({
        onUnsubscribe: () => void order.push("onUnsubscribe"),
        onDispose: (sub) => void order.push(`onDispose closed=${sub.isClosed}`),
      });
      const leaver = await connect(events, { channels: ["a"] });
      const member = await connect(events, { channels: ["a"] });
      leaver.sub.onUnsubscribe = () => void order.push("own onUnsubscribe");
      await events.unRegister(leaver.id);
      await member.frames.until((f) => f.selector === "cmd.onLeave");
      expect(order).toEqual(["onUnsubscribe", "own onUnsubscribe", "onDispose closed=true"]);
    });

    it("runs onUpdate on a channel change even with notifyChannelOfSubscriptions off", async () => {
      const updated: string[][] = [];
      const events = await start({
        notifyChannelOfSubscriptions: false,
        onUpdate: (sub) => void updated.push([...sub.channels]),
      });
      const client = await connect(events, { channels: ["a"] });
      await events.subscribeToChannels(client.id, ["b"]);
      expect(updated).toEqual([["a", "b"]]);
    });

    it("awaits onPublishAsync before each frame, keeping their order", async () => {
      const seen: string[] = [];
      const events = await start({
        notifyChannelOfSubscriptions: false,
        onPublishAsync: async (_sub: Subscription, frame: string) => {
          // The first frame waits longest: order must still hold.
          await new Promise((resolve) => setTimeout(resolve, frame.includes('"n":1') ? 30 : 0));
          seen.push(frame);
        },
      });
      const client = await connect(events);
      await events.notifySubscription(client.id, "cmd.n", { n: 1 });
      await events.notifySubscription(client.id, "cmd.n", { n: 2 });
      const first = await client.frames.next();
      const second = await client.frames.next();
      expect([first.body, second.body]).toEqual([{ n: 1 }, { n: 2 }]);
      expect(seen).toHaveLength(2);
    });

    it("runs onPublish for live and presence frames, never for a replay, cmd.onConnect or cmd.onHeartbeat", async () => {
      const seen: string[] = [];
      const label = (sub: Subscription, frame: string) =>
        `${sub.displayName} ${/^data: (\S+)/mu.exec(frame)?.[1] ?? "?"}`;
      const events = await start({ onPublish: (sub, frame) => void seen.push(label(sub, frame)) });
      const ada = await connect(events, { channels: ["a"], displayName: "ada" });
      await ada.frames.until((f) => f.selector === "cmd.onJoin");
      await events.notifyChannel("a", "cmd.live", 1);
      await ada.frames.until((f) => f.selector === "cmd.live");
      expect(await events.pulse(ada.id)).toBe(true);
      await ada.frames.until((f) => f.selector === "cmd.onHeartbeat");
      // Resumes from before cmd.live: it is replayed to bob, not published again.
      const bob = await connect(
        events,
        { channels: ["a"], displayName: "bob" },
        ada.connectFrame.id,
      );
      await bob.frames.until((f) => f.selector === "cmd.live");
      await ada.frames.until((f) => f.selector === "cmd.onJoin");
      await events.notifyChannel("a", "cmd.after", 2);
      await bob.frames.until((f) => f.selector === "cmd.after");
      expect(seen.sort()).toEqual(
        [
          "ada a@cmd.onJoin",
          "ada a@cmd.live",
          "ada a@cmd.onJoin",
          "bob a@cmd.onJoin",
          "ada a@cmd.after",
          "bob a@cmd.after",
        ].sort(),
      );
    });

    it("cuts a subscriber off when frames pile up behind an onPublishAsync that stalls", async () => {
      const stalled = new Promise<void>(() => undefined);
      const events = await start({
        notifyChannelOfSubscriptions: false,
        maxBufferedBytes: 8 * 1024,
        onPublishAsync: () => stalled,
      });
      const client = await connect(events);
      // Ten 1 KB frames wait behind the hook: more than the subscriber's buffer.
      for (let n = 0; n < 10; n++)
        await events.notifySubscription(client.id, "cmd.n", "x".repeat(1024));
      await expect(client.frames.next()).rejects.toThrow("stream ended");
      await vi.waitFor(async () => expect(await events.getSubscriptionInfo(client.id)).toBeNull());
      expect((await events.getStats()).slowConsumerDisconnects).toBe(1);
    });

    it("serializes notify* messages with the serialize option", async () => {
      const events = await start({
        notifyChannelOfSubscriptions: false,
        serialize: (message) => JSON.stringify({ wrapped: message }),
      });
      const client = await connect(events);
      await events.notifySubscription(client.id, "cmd.s", 42);
      await events.notifySubscriptionJson(client.id, "cmd.j", '{"as":"is"}');
      expect((await client.frames.next()).body).toEqual({ wrapped: 42 });
      expect((await client.frames.next()).body).toEqual({ as: "is" });
    });
  });
}
