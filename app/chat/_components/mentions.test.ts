import { describe, expect, it } from "vitest";
import { mentions } from "./mentions";

describe("mentions", () => {
  it("finds @name in any case, not as the start of a longer name", () => {
    expect(mentions("hi @Alice!", "alice")).toBe(true);
    expect(mentions("@alice", "alice")).toBe(true);
    expect(mentions("hi @alicex and @alice_2", "alice")).toBe(false);
    expect(mentions("hi @alicex, then @alice.", "alice")).toBe(true);
    expect(mentions("alice", "alice")).toBe(false);
  });

  it("treats a name with pattern characters as plain text", () => {
    expect(() => mentions("hi @a(b", "a(b")).not.toThrow();
    expect(mentions("hi @a(b", "a(b")).toBe(true);
    expect(mentions("hi @aab", "a.b")).toBe(false);
    expect(mentions("x", "")).toBe(false);
  });
});
