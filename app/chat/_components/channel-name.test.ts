import { describe, expect, it } from "vitest";
import { channelNameProblem, parseChannelParams } from "./channel-name";

describe("channel names", () => {
  it("accepts what the server accepts, with or without a leading #", () => {
    for (const name of ["home", "#home", "room-1", "a.b:c_d", "x".repeat(64)])
      expect(channelNameProblem(name)).toBeNull();
  });

  it("says why a name is refused, and what the rule is", () => {
    expect(channelNameProblem("has space")).toBe(
      "Spaces aren't allowed in channel names. Use 1–64 letters, digits, _ . : or -.",
    );
    expect(channelNameProblem("a@b")).toMatch(/^"@" isn't allowed in channel names\. Use 1–64/u);
    expect(channelNameProblem("x".repeat(70))).toBe(
      "That is 70 characters; channel names have at most 64.",
    );
    expect(channelNameProblem("#")).toMatch(/^A channel needs a name/u);
    expect(channelNameProblem("server-events.admin")).toMatch(/belong to the server/u);
    expect(channelNameProblem("Server-Events.credentials")).toMatch(/belong to the server/u);
    for (const dots of [".", "..", "..."])
      expect(channelNameProblem(dots)).toMatch(/^A channel name needs more than dots\./u);
    expect(channelNameProblem(".hidden")).toBeNull();
  });
});

describe("?channels=", () => {
  it("keeps the good names and reports the ones it left out", () => {
    expect(
      parseChannelParams(["home,bad name,lobby", "home", "a@b,,", "..", "server-events.admin"]),
    ).toEqual({
      channels: ["home", "lobby"],
      dropped: ["bad name", "a@b", "..", "server-events.admin"],
    });
  });
});
