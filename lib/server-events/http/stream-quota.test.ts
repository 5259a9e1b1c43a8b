import { describe, expect, it } from "vitest";
import { ServerEventsError } from "../errors";
import { StreamQuota } from "./stream-quota";

function refusal(run: () => unknown): ServerEventsError {
  try {
    run();
  } catch (error) {
    if (error instanceof ServerEventsError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("StreamQuota", () => {
  it("refuses a caller's stream past its own limit with 429, and not other callers'", () => {
    const quota = new StreamQuota({ perCaller: 2 });
    quota.acquire("user:alice");
    quota.acquire("user:alice");
    const error = refusal(() => quota.acquire("user:alice"));
    expect(error.status).toBe(429);
    expect(error.retryAfterMs).toBeGreaterThan(0);
    expect(error.message).toMatch(/2 open/);
    expect(() => quota.acquire("user:bob")).not.toThrow();
  });

  it("gives a caller's stream back when one closes, once however often it is released", () => {
    const quota = new StreamQuota({ perCaller: 1 });
    const release = quota.acquire("guest:g1");
    release();
    release();
    const again = quota.acquire("guest:g1");
    expect(quota.openStreams).toBe(1);
    expect(() => quota.acquire("guest:g1")).toThrow(ServerEventsError);
    again();
    expect(quota.openStreams).toBe(0);
  });

  it("refuses any stream past the instance's limit with 503, counting callers without a key", () => {
    const quota = new StreamQuota({ perInstance: 2, perCaller: null });
    quota.acquire(null);
    const release = quota.acquire("user:alice");
    expect(refusal(() => quota.acquire(null)).status).toBe(503);
    release();
    expect(() => quota.acquire(null)).not.toThrow();
  });

  it("counts its refusals by the limit that refused them", () => {
    const quota = new StreamQuota({ perInstance: 3, perCaller: 1 });
    quota.acquire("user:alice");
    refusal(() => quota.acquire("user:alice"));
    quota.acquire(null);
    quota.acquire(null);
    refusal(() => quota.acquire(null));
    refusal(() => quota.acquire("user:bob"));
    expect(quota.refused).toEqual({ perInstance: 2, perCaller: 1 });
  });

  it("lets cookieless anonymous callers past the per-caller limit, which has no key for them", () => {
    const quota = new StreamQuota({ perCaller: 1 });
    for (let i = 0; i < 5; i++) quota.acquire(null);
    expect(quota.openStreams).toBe(5);
  });
});
