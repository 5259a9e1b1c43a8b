import { describe, expect, it } from "vitest";
import { handlePattern, SubscriptionHandles } from "./subscription-handle";

describe("SubscriptionHandles", () => {
  it("give every instance sharing the secret the same handle, and others a different one", () => {
    const a = new SubscriptionHandles("shared-secret-of-at-least-32-chars!");
    const b = new SubscriptionHandles("shared-secret-of-at-least-32-chars!");
    const stranger = new SubscriptionHandles("another-secret-of-at-least-32-chars");
    const handle = a.handleOf("sub-1");
    expect(handle).toMatch(handlePattern);
    expect(handle).not.toContain("sub-1");
    expect(b.find(handle, ["sub-0", "sub-1", "sub-2"])).toBe("sub-1");
    expect(stranger.find(handle, ["sub-1"])).toBeUndefined();
    expect(a.handleOf("sub-2")).not.toBe(handle);
  });
});
