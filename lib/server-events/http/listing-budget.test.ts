import { describe, expect, it } from "vitest";
import { ListingBudget } from "./listing-budget";

describe("ListingBudget", () => {
  it("charges a listing of any size in full, so the next one waits until it is paid", () => {
    const budget = new ListingBudget({ perSecond: 10, burst: 10 });
    budget.begin({ user: "u1" })(1_000);
    let refusal: { status?: number; retryAfterMs?: number } = {};
    try {
      budget.begin({ user: "u1" });
    } catch (error) {
      refusal = error as typeof refusal;
    }
    expect(refusal.status).toBe(429);
    // 990 tokens in debt at 10 a second: about 99 s, not one burst's worth.
    expect(refusal.retryAfterMs).toBeGreaterThan(90_000);
  });

  it("lets a payer run at most four listings at once, which are charged only when they end", () => {
    const budget = new ListingBudget({ perSecond: 1_000, burst: 1_000 });
    const running = Array.from({ length: 4 }, () => budget.begin({ address: "203.0.113.7" }));
    expect(() => budget.begin({ address: "203.0.113.7" })).toThrow(/at once/u);
    expect(() => budget.begin({ address: "198.51.100.1" })).not.toThrow();
    running[0]!(10);
    running[0]!(10); // settling twice frees one place only
    expect(() => budget.begin({ address: "203.0.113.7" })).not.toThrow();
    expect(() => budget.begin({ address: "203.0.113.7" })).toThrow(/at once/u);
  });
});
