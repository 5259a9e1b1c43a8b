import { expect, it } from "vitest";
import { frameLabel as label, readUntil } from "@/lib/testing/subscriber";
import type { ContractContext } from "./contract-context";

/** Every notify family reaches exactly its audience, in order, with ServiceStack's frame shapes. */
export function notifyContract(context: ContractContext): void {
  const { start, connect } = context;

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
    expect((await readUntil(inA, "cmd.marker")).map(label)).toEqual(["cmd.filtered", "cmd.marker"]);
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
}
