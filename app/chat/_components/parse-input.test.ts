import { describe, expect, it } from "vitest";
import type { ChannelUser } from "@/app/_components/presence";
import { parseInput } from "./parse-input";

const bob: ChannelUser = {
  userId: "u-bob",
  displayName: "bob",
  profileUrl: "",
  isAuthenticated: true,
  count: 1,
};

describe("what the composer's text turns into", () => {
  it("sends the commands the chat acts on", () => {
    for (const [text, selector] of [
      ["/cmd.announce Standup", "cmd.announce"],
      ["/cmd.toggle$#channels", "cmd.toggle$#channels"],
      ["/tv.watch https://example.com/cat.png", "tv.watch"],
      ["/tv.off", "tv.off"],
      ["/css.background-color$#top pink", "css.background-color$#top"],
      ["/trigger.customEvent hi", "trigger.customEvent"],
    ] as const)
      expect(parseInput(text, [], "me")).toMatchObject({ kind: "raw", selector });
  });

  it("answers an unknown command with the list of known ones", () => {
    for (const text of ["/cmd.chat hi", "/cmd.dance", "/hello there", "/tv.", "/.x"]) {
      const result = parseInput(text, [], "me");
      expect(result.kind).toBe("error");
      expect(result.kind === "error" && result.error).toMatch(
        /isn't a command here\. Try \/cmd\.announce <text>, \/cmd\.toggle\$#channels, \/tv\.watch/u,
      );
    }
  });

  it("sends @name privately, and says when no one has that name", () => {
    expect(parseInput("@bob hi", [bob], "me")).toEqual({
      kind: "chat",
      message: "hi",
      toUserId: "u-bob",
    });
    expect(parseInput("@carol hi", [bob], "me")).toEqual({
      kind: "error",
      error: "No one called @carol is in this channel",
    });
  });

  it("says so rather than guessing when two people share the name", () => {
    const guest = (userId: string): ChannelUser => ({
      userId,
      displayName: "user12345",
      profileUrl: "",
      isAuthenticated: false,
      count: 1,
    });
    expect(parseInput("@user12345 hi", [bob, guest("g-1"), guest("g-2")], "me")).toEqual({
      kind: "error",
      error: "2 people here are called @user12345: message the one you mean from the user list",
    });
    expect(parseInput("@user12345 hi", [bob, guest("g-1")], "me")).toMatchObject({
      toUserId: "g-1",
    });
  });
});
