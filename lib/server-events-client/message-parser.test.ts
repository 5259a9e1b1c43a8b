import { describe, expect, it } from "vitest";
import { ServerEventsClientError } from "./errors";
import { mergeBody, parseEventId, parseServerEventData } from "./message-parser";

describe("parseServerEventData", () => {
  it("splits channel, op, target and body of a channel message", () => {
    const msg = parseServerEventData('home@cmd.chat {"message":"hi"}', 7);
    expect(msg).toMatchObject({
      type: "ServerEventMessage",
      eventId: 7,
      channel: "home",
      selector: "cmd.chat",
      op: "cmd",
      target: "chat",
      cssSelector: undefined,
      json: '{"message":"hi"}',
      body: { message: "hi" },
    });
  });

  it("has no channel without an @ and tags the built-in commands", () => {
    const msg = parseServerEventData('cmd.onConnect {"id":"x"}', 1);
    expect(msg.channel).toBeNull();
    expect(msg.type).toBe("ServerEventConnect");
    expect(parseServerEventData("A@cmd.onJoin {}", 2).type).toBe("ServerEventJoin");
    expect(parseServerEventData("A@cmd.onLeave {}", 2).type).toBe("ServerEventLeave");
    expect(parseServerEventData("A@cmd.onUpdate {}", 2).type).toBe("ServerEventUpdate");
    expect(parseServerEventData("cmd.onHeartbeat {}", 2).type).toBe("ServerEventHeartbeat");
  });

  it("reads a css selector after $ and a null body from the trailing space", () => {
    const msg = parseServerEventData("cmd.toggle$#channels ", 3);
    expect(msg).toMatchObject({
      selector: "cmd.toggle$#channels",
      target: "toggle",
      cssSelector: "#channels",
    });
    expect(msg.body).toBeNull();
    expect(msg.json).toBe("");
  });

  it("decodes %20 in the target part to a space", () => {
    const msg = parseServerEventData('css.background-image$#top%20.box "url(x)"', 4);
    expect(msg).toMatchObject({
      op: "css",
      target: "background-image",
      cssSelector: "#top .box",
      body: "url(x)",
    });
  });

  it("keeps everything after the first space as json, and null for invalid json", () => {
    expect(parseServerEventData('cmd.announce "a b c"', 1).body).toBe("a b c");
    expect(parseServerEventData("cmd.announce not json", 1).body).toBeNull();
    expect(parseServerEventData("cmd.announce", 1).json).toBe("");
  });

  it("splits the channel at the first @ only", () => {
    expect(parseServerEventData('A@cmd.chat "x@y"', 1)).toMatchObject({
      channel: "A",
      body: "x@y",
    });
  });

  it("rejects a selector without a dot", () => {
    expect(() => parseServerEventData("nodot {}", 1)).toThrow(ServerEventsClientError);
  });
});

describe("mergeBody", () => {
  it("copies an object body over the message and leaves others alone", () => {
    const merged = mergeBody(parseServerEventData('A@cmd.onJoin {"displayName":"user1"}', 1));
    expect(merged).toMatchObject({ displayName: "user1", channel: "A", selector: "cmd.onJoin" });
    expect(mergeBody(parseServerEventData('cmd.x "s"', 1))).toMatchObject({ body: "s" });
  });

  it("keeps the frame's own fields when the body names them too", () => {
    const forged =
      '{"selector":"cmd.onJoin","channel":"other","eventId":1,"json":"","op":"x","n":2}';
    const merged = mergeBody(parseServerEventData(`A@cmd.note ${forged}`, 7));
    expect(merged).toMatchObject({
      selector: "cmd.note",
      channel: "A",
      eventId: 7,
      op: "cmd",
      n: 2,
    });
    expect(merged.json).toBe(forged);
  });
});

describe("parseEventId", () => {
  it("parses integers and keeps the previous id otherwise", () => {
    expect(parseEventId("12", 3)).toBe(12);
    expect(parseEventId(undefined, 3)).toBe(3);
    expect(parseEventId("abc", 3)).toBe(3);
  });
});
