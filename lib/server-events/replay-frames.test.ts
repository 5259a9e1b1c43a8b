import { describe, expect, it } from "vitest";
import type { PublishedMessage } from "./message";
import { ReplayFrames } from "./replay-frames";

const decoder = new TextDecoder();

function message(overrides: Partial<PublishedMessage> = {}): PublishedMessage {
  return {
    id: 7,
    createdAt: 1_000,
    selector: "cmd.chat",
    json: '{"text":"hi"}',
    target: { kind: "channel", value: "home" },
    ...overrides,
  };
}

describe("ReplayFrames", () => {
  it("hands every stream the same message and bytes when a store reads it again", () => {
    const replays = new ReplayFrames();
    const [first] = replays.share([message()]);
    const [again] = replays.share([message()]); // a new object with the same id, as a store returns
    expect(again).toBe(first);
    expect(replays.frameOf(again!)).toBe(replays.frameOf(first!));
    expect(decoder.decode(replays.frameOf(first!))).toBe(
      'id: 7\ndata: home@cmd.chat {"text":"hi"}\n\n',
    );
  });

  it("never hands out one message for another that has its id", () => {
    const replays = new ReplayFrames();
    replays.share([message()]);
    const [renumbered] = replays.share([message({ createdAt: 2_000, json: '{"text":"other"}' })]);
    expect(decoder.decode(replays.frameOf(renumbered!))).toContain('{"text":"other"}');
    const [otherSelector] = replays.share([
      message({ createdAt: 2_000, selector: "cmd.announce" }),
    ]);
    expect(decoder.decode(replays.frameOf(otherSelector!))).toContain("home@cmd.announce");
  });
});
