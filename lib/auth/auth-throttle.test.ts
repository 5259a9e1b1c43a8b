import { describe, expect, it } from "vitest";
import { readEnv } from "@/lib/env";
import { inMemoryAttemptCounters } from "./attempt-counter";
import { itThrottlesSignInsAndSignUps } from "./auth-throttle.contract";
import { formatWait, resolveAuthLimits, tooManyFailedSignInsMessage } from "./auth-throttle";

const MINUTE = 60_000;

describe("auth limits", () => {
  it("default to 10 failures per name or address and 5 accounts per address", () => {
    expect(resolveAuthLimits(readEnv({}))).toEqual({
      maxFailedSignInsPerName: 10,
      maxFailedSignInsPerAddress: 10,
      maxSignUpsPerAddress: 5,
    });
  });
});

describe("in memory", () => {
  itThrottlesSignInsAndSignUps(() => Promise.resolve(inMemoryAttemptCounters));
});

describe("messages", () => {
  it("round minutes up", () => {
    expect(formatWait(1)).toBe("1 minute");
    expect(formatWait(MINUTE + 1)).toBe("2 minutes");
    expect(tooManyFailedSignInsMessage(15 * MINUTE)).toBe(
      "Too many failed attempts; try again in 15 minutes",
    );
  });
});
