import { describe, expect, it } from "vitest";
import { ServerEventsError } from "../errors";
import {
  assertChannel,
  assertSelector,
  parseChannelList,
  serializeMessage,
  toSingleLineJson,
} from "./validate";

function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof ServerEventsError) return `${error.status}:${error.field}`;
    throw error;
  }
  return undefined;
}

describe("assertChannel", () => {
  it.each([
    "home",
    "*",
    "room-1",
    "a.b",
    "ünïcode",
    "👨\u200d👩\u200d👧",
    "می\u200cخواهم",
    "\u2764\ufe0f",
    "room1\ufe0f\u20e3",
  ])("accepts %j", (channel) => {
    expect(assertChannel(channel)).toBe(channel);
  });

  it.each([
    "",
    "a@b",
    "a,b",
    "a b",
    "a\nb",
    "a\rb",
    "x".repeat(201),
    "ad\u200bmin",
    "gnp\u202eexe",
    "a\u2066b\u2069",
    "ad\u00admin",
    "ad\u034fmin",
    "ad\u3164min",
    "ad\u115fmin",
    "ad\u{e0061}min",
    "ad\ufe0fmin",
    "room1\ufe0f",
    "ada\u2800joined",
  ])("refuses %j with a 400", (c) => {
    expect(fieldOf(() => assertChannel(c, "channels"))).toBe("400:channels");
  });
});

describe("assertSelector", () => {
  it.each(["cmd.chat", "cmd.toggle$#channels", "css.background-color$#top", "tv.watch"])(
    "accepts %j",
    (selector) => expect(assertSelector(selector)).toBe(selector),
  );

  it.each([
    "chat",
    "cmd.chat x",
    "home@cmd.chat",
    "cmd.a\ndata: injected",
    "",
    "mallory\u2800joined.",
    "mallory\u{1d159}joined.",
    "mallory\u202ejoined.",
    "cmd.\u200bchat",
  ])("refuses %j", (s) => {
    expect(fieldOf(() => assertSelector(s))).toBe("400:selector");
  });
});

describe("parseChannelList", () => {
  it("splits comma lists, drops empties and duplicates, keeps order", () => {
    expect(parseChannelList(["b,a", "", "a,c,"])).toEqual(["b", "a", "c"]);
  });

  it("names the field of a bad entry", () => {
    expect(fieldOf(() => parseChannelList(["ok,bad@one"], "channel"))).toBe("400:channel");
  });

  it("takes 100 channels and 4,000 characters in all, as presence frames carry them", () => {
    const names = (count: number, length: number) =>
      Array.from({ length: count }, (_, i) => `${i}`.padStart(length, "界"));
    expect(parseChannelList([names(100, 39).join(",")])).toHaveLength(100); // 3,999 characters
    expect(fieldOf(() => parseChannelList([names(101, 2).join(",")]))).toBe("400:channels");
    expect(fieldOf(() => parseChannelList([names(20, 200).join(",")]))).toBe("400:channels");
  });
});

describe("toSingleLineJson", () => {
  it("passes one-line JSON through untouched", () => {
    expect(toSingleLineJson('{"a": 1}')).toBe('{"a": 1}');
  });

  it("re-serializes JSON that spans lines so no frame can be injected", () => {
    expect(toSingleLineJson('{\n"a": 1\n}')).toBe('{"a":1}');
  });

  it("refuses a multi-line body that is not JSON", () => {
    expect(fieldOf(() => toSingleLineJson("x\ndata: cmd.evil {}", "message"))).toBe("400:message");
  });
});

describe("serializeMessage", () => {
  it("writes null as an empty body and strings as JSON strings", () => {
    expect(serializeMessage(null)).toBe("");
    expect(serializeMessage(undefined)).toBe("");
    expect(serializeMessage("hello")).toBe('"hello"');
    expect(serializeMessage("two\nlines")).toBe('"two\\nlines"');
  });
});
