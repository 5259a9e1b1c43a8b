import { describe, expect, it } from "vitest";
import { formatFrame, parseFrameData, toWireSelector } from "./frame";

describe("formatFrame", () => {
  it("writes ServiceStack's exact bytes", () => {
    expect(formatFrame(7, "home@cmd.chat", '{"message":"hi"}')).toBe(
      'id: 7\ndata: home@cmd.chat {"message":"hi"}\n\n',
    );
  });

  it("keeps the space after the selector when the body is empty", () => {
    expect(formatFrame(3, "cmd.toggle$#channels", "")).toBe(
      "id: 3\ndata: cmd.toggle$#channels \n\n",
    );
  });

  it("uses LF only and a single data line", () => {
    const frame = formatFrame(1, "cmd.x", '"a"');
    expect(frame).not.toContain("\r");
    expect(frame.split("\n").filter((line) => line.startsWith("data:"))).toHaveLength(1);
  });
});

describe("toWireSelector", () => {
  it("prefixes the channel only when there is one", () => {
    expect(toWireSelector("cmd.onJoin", "lobby")).toBe("lobby@cmd.onJoin");
    expect(toWireSelector("cmd.onJoin", undefined)).toBe("cmd.onJoin");
  });
});

describe("parseFrameData", () => {
  it("splits channel, selector and body like the official clients", () => {
    expect(parseFrameData('home@cmd.chat {"a":1}')).toEqual({
      channel: "home",
      selector: "cmd.chat",
      json: '{"a":1}',
    });
    expect(parseFrameData("cmd.toggle$#channels ")).toEqual({
      channel: undefined,
      selector: "cmd.toggle$#channels",
      json: "",
    });
  });
});
