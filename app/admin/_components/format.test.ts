import { describe, expect, it } from "vitest";
import { formatAgo, formatDuration, formatRate } from "./format";

describe("formatting for the dashboard", () => {
  it("reads durations at an operator's precision", () => {
    expect(formatDuration(42_900)).toBe("42 s");
    expect(formatDuration(5 * 60_000 + 59_000)).toBe("5 min");
    expect(formatDuration((3 * 60 + 12) * 60_000)).toBe("3 h 12 min");
    expect(formatDuration((52 * 60 + 5) * 60_000)).toBe("2 d 4 h");
    expect(formatDuration(-5)).toBe("0 s");
  });

  it("says 'just now' for a fresh heartbeat", () => {
    expect(formatAgo(300)).toBe("just now");
    expect(formatAgo(12_000)).toBe("12 s ago");
  });

  it("keeps a decimal only where it matters", () => {
    expect(formatRate(0.4)).toBe("0.4");
    expect(formatRate(1250.4)).toBe("1,250");
  });
});
