import { describe, expect, it } from "vitest";
import { signInSchema, signUpSchema } from "./credentials-schema";

const firstError = (input: { name: string; password: string }) =>
  signUpSchema.safeParse(input).error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`)[0];

describe("signUpSchema", () => {
  it("accepts a usual name and password", () => {
    expect(signUpSchema.parse({ name: " Ada_L ", password: "correct-horse" })).toEqual({
      name: "Ada_L",
      password: "correct-horse",
    });
  });

  it.each(["user1", "User12", "USER007", "user0"])("keeps %j for guests", (name) => {
    expect(firstError({ name, password: "correct-horse" })).toBe(
      "name: Names like user12 are kept for guests",
    );
  });

  it.each(["user", "users1", "user1a", "username"])("allows %j", (name) => {
    expect(firstError({ name, password: "correct-horse" })).toBeUndefined();
  });

  it("keeps the 8-character minimum", () => {
    expect(firstError({ name: "ada", password: "1234567" })).toBe(
      "password: Too short: a password has at least 8 characters",
    );
  });

  it("allows exactly 72 bytes and refuses 73, counting bytes rather than characters", () => {
    const tooLong =
      "Too long: at most 72 bytes (72 plain letters or digits; accented letters take 2, most other scripts 3)";
    expect(firstError({ name: "ada", password: "a".repeat(72) })).toBeUndefined();
    expect(firstError({ name: "ada", password: "a".repeat(73) })).toBe(`password: ${tooLong}`);
    // 24 × "é" is 24 characters but 48 bytes; 37 of them are 74 bytes.
    expect(firstError({ name: "ada", password: "é".repeat(24) })).toBeUndefined();
    expect(firstError({ name: "ada", password: "é".repeat(37) })).toBe(`password: ${tooLong}`);
    expect(firstError({ name: "ada", password: "🔑".repeat(19) })).toBe(`password: ${tooLong}`);
  });
});

describe("sign-up refusals say the rule", () => {
  it.each([
    ["a", "name: Too short: a name has at least 2 characters"],
    ["a".repeat(25), "name: Too long: a name has at most 24 characters"],
    ["1ada", "name: Start with a letter (2–24 letters, digits, _ or -, starting with a letter)"],
    ["ada l", "name: Spaces aren't allowed (2–24 letters, digits, _ or -, starting with a letter)"],
    [
      "ada!",
      "name: Only letters, digits, _ or - (2–24 letters, digits, _ or -, starting with a letter)",
    ],
  ])("%j", (name, error) => {
    expect(firstError({ name, password: "correct-horse" })).toBe(error);
  });
});

describe("signInSchema", () => {
  it("does not apply the sign-up rules (a sign-in never explains them)", () => {
    expect(signInSchema.safeParse({ name: "user12", password: "short" }).success).toBe(true);
    expect(signInSchema.safeParse({ name: "ada", password: "a".repeat(100) }).success).toBe(true);
  });

  it("bounds what it will hash", () => {
    expect(signInSchema.safeParse({ name: "ada", password: "a".repeat(201) }).success).toBe(false);
    expect(signInSchema.safeParse({ name: "", password: "x" }).success).toBe(false);
  });
});
