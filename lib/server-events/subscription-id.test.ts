import { describe, expect, it } from "vitest";
import { createSubscriptionId } from "./subscription-id";

describe("createSubscriptionId", () => {
  it("gives 20 URL-safe characters, never the same twice, across refills of its random pool", () => {
    const ids = Array.from({ length: 2000 }, createSubscriptionId);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{20}$/u);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("spreads its bits: every base64 character shows up at every position over many ids", () => {
    const ids = Array.from({ length: 4000 }, createSubscriptionId);
    for (let position = 0; position < 20; position++) {
      const seen = new Set(ids.map((id) => id[position]));
      expect(seen.size).toBe(64);
    }
  });
});
