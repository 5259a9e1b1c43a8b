import { describe, expect, it } from "vitest";
import { ExpiringCache } from "./expiring-cache";

function cacheAt(maxEntries: number) {
  const clock = { now: 1_000 };
  return { cache: new ExpiringCache<string>(maxEntries, () => clock.now), clock };
}

describe("ExpiringCache", () => {
  it("forgets an entry at its deadline", () => {
    const { cache, clock } = cacheAt(10);
    cache.set("a", "A", 2_000);
    clock.now = 1_999;
    expect(cache.get("a")).toBe("A");
    clock.now = 2_000;
    expect(cache.get("a")).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it("drops the oldest insert past maxEntries", () => {
    const { cache } = cacheAt(2);
    cache.set("a", "A", 9_000);
    cache.set("b", "B", 9_000);
    cache.set("c", "C", 9_000);
    expect([cache.get("a"), cache.get("b"), cache.get("c")]).toEqual([undefined, "B", "C"]);
  });

  it("expireBy only ever shortens a life", () => {
    const { cache, clock } = cacheAt(10);
    cache.set("a", "A", 5_000);
    cache.expireBy("a", 9_000);
    cache.expireBy("a", 3_000);
    clock.now = 3_000;
    expect(cache.get("a")).toBeUndefined();
    cache.set("b", "B", 9_000);
    cache.expireBy("b", 3_000);
    expect(cache.get("b")).toBeUndefined();
  });
});
