import { describe, expect, it } from "vitest";
import { InProcessTransport } from "./transport";
import type { PublishedMessage } from "./message";
import type { SubscriptionInfo } from "./subscription";

const member: SubscriptionInfo = {
  id: "s1",
  userId: "-1",
  userName: null,
  sessionId: null,
  channels: ["home"],
  displayName: "user1",
  isAuthenticated: false,
  profileUrl: "",
  createdAt: 0,
  lastPulseAt: 0,
  userAddress: null,
  meta: {},
  connectArgs: {},
  serverArgs: {},
};

describe("InProcessTransport replay window", () => {
  it("lets a flood in one channel push out only its own messages", async () => {
    const transport = new InProcessTransport({
      replayRetentionMs: 60_000,
      replayMaxMessages: 20,
      now: () => 1_000,
    });
    await transport.connect(() => undefined);
    const before = transport.head();
    const home = { kind: "channel", value: "home" } as const;
    const spam = { kind: "channel", value: "spam" } as const;
    await transport.publish({ target: home, selector: "cmd.chat", json: '"first"' });
    for (let i = 0; i < 500; i++)
      await transport.publish({ target: spam, selector: "cmd.chat", json: String(i) });
    await transport.publish({ target: home, selector: "cmd.chat", json: '"second"' });

    const inHome = await transport.replay(before, member);
    expect(inHome.complete).toBe(true);
    expect(inHome.messages.map((m) => m.json)).toEqual(['"first"', '"second"']);
    // Someone who joined home mid-flood holds a cursor in the flood: nothing of theirs was lost.
    const joinedMidFlood = await transport.replay(before + 250, member);
    expect(joinedMidFlood.complete).toBe(true);
    expect(joinedMidFlood.messages.map((m) => m.json)).toEqual(['"second"']);
    // The flooded channel's own members do miss messages, and are told so.
    const inSpam = await transport.replay(before, { ...member, id: "s2", channels: ["spam"] });
    expect(inSpam.complete).toBe(false);
    expect(inSpam.messages.length).toBeLessThan(20);
  });

  it("never lets presence frames push a real message out of the window", async () => {
    const transport = new InProcessTransport({
      replayRetentionMs: 60_000,
      replayMaxMessages: 5,
      now: () => 1_000,
    });
    const delivered: PublishedMessage[] = [];
    await transport.connect((message) => delivered.push(message));
    const before = transport.head();
    const channel = { kind: "channel", value: "home" } as const;
    await transport.publish({ target: channel, selector: "cmd.chat", json: '"hello"' });
    for (let i = 0; i < 50; i++)
      await transport.publish({
        target: channel,
        selector: i % 2 ? "cmd.onJoin" : "cmd.onUpdate",
        json: "{}",
      });
    await transport.publish({ target: channel, selector: "cmd.chat", json: '"after"' });

    const { messages, complete } = await transport.replay(before, member);
    expect(complete).toBe(true);
    const chats = messages.filter((m) => m.selector === "cmd.chat").map((m) => m.json);
    expect(chats).toEqual(['"hello"', '"after"']);
    const ids = messages.map((m) => m.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(messages.filter((m) => m.selector !== "cmd.chat").length).toBeLessThanOrEqual(5);
  });
});
