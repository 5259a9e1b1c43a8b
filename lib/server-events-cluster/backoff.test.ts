import { describe, expect, it } from "vitest";
import { reconnectDelay } from "./backoff";

describe("reconnectDelay", () => {
  it("grows exponentially with jitter, up to the cap", () => {
    for (let attempt = 0; attempt < 12; attempt++) {
      const capped = Math.min(10_000, 100 * 2 ** attempt);
      const delay = reconnectDelay(attempt, 100, 10_000);
      expect(delay).toBeGreaterThanOrEqual(capped / 2);
      expect(delay).toBeLessThanOrEqual(capped);
    }
  });
});
