import { describe, expect, it } from "vitest";
import { bearerToken, constantTimeEqual } from "./constant-time";

describe("constantTimeEqual", () => {
  it.each([
    ["secret-token", "secret-token", true],
    ["secret-token", "secret-tokem", false],
    ["secret-token", "secret-token-longer", false],
    ["", "", true],
    ["a", "", false],
    ["", "a", false],
    ["ünï", "ünï", true],
  ])("%j vs %j → %s", (a, b, expected) => {
    expect(constantTimeEqual(a, b)).toBe(expected);
  });
});

describe("bearerToken", () => {
  it("reads the token of a Bearer header, in any case", () => {
    const request = new Request("http://x/", { headers: { authorization: "bearer abc123" } });
    expect(bearerToken(request)).toBe("abc123");
    expect(bearerToken(new Request("http://x/"))).toBeUndefined();
    const basic = new Request("http://x/", { headers: { authorization: "Basic abc" } });
    expect(bearerToken(basic)).toBeUndefined();
  });
});
