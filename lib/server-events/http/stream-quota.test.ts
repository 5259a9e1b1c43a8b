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
    quota.acquire({ caller: "user:alice" });
    quota.acquire({ caller: "user:alice" });
    const error = refusal(() => quota.acquire({ caller: "user:alice" }));
    expect(error.status).toBe(429);
    expect(error.retryAfterMs).toBeGreaterThan(0);
    expect(error.message).toMatch(/2 open/);
    expect(() => quota.acquire({ caller: "user:bob" })).not.toThrow();
  });

  it("gives a caller's stream back when one closes, once however often it is released", () => {
    const quota = new StreamQuota({ perCaller: 1 });
    const release = quota.acquire({ caller: "guest:g1" });
    release();
    release();
    const again = quota.acquire({ caller: "guest:g1" });
    expect(quota.openStreams).toBe(1);
    expect(() => quota.acquire({ caller: "guest:g1" })).toThrow(ServerEventsError);
    again();
    expect(quota.openStreams).toBe(0);
  });

  it("refuses any stream past the instance's limit with 503, counting callers without a key", () => {
    const quota = new StreamQuota({ perInstance: 2, perCaller: null });
    quota.acquire(null);
    const release = quota.acquire({ caller: "user:alice" });
    expect(refusal(() => quota.acquire(null)).status).toBe(503);
    release();
    expect(() => quota.acquire(null)).not.toThrow();
  });

  it("counts its refusals by the limit that refused them", () => {
    const quota = new StreamQuota({ perInstance: 3, perCaller: 1, perAddress: 1 });
    quota.acquire({ caller: "user:alice" });
    refusal(() => quota.acquire({ caller: "user:alice" }));
    quota.acquire({ address: "a" });
    refusal(() => quota.acquire({ address: "a" }));
    quota.acquire(null);
    refusal(() => quota.acquire(null));
    refusal(() => quota.acquire({ caller: "user:bob" }));
    expect(quota.refused).toEqual({ perInstance: 2, perCaller: 1, perAddress: 1, openRate: 0 });
  });

  it("counts callers with neither session nor guest cookie by address, apart from the callers", () => {
    const quota = new StreamQuota({ perCaller: 1, perAddress: 3 });
    for (let i = 0; i < 3; i++) quota.acquire({ address: "203.0.113.7" });
    const error = refusal(() => quota.acquire({ address: "203.0.113.7" }));
    expect(error.status).toBe(429);
    expect(error.message).toMatch(/address/);
    expect(() => quota.acquire({ address: "198.51.100.1" })).not.toThrow();
    expect(() => quota.acquire({ caller: "203.0.113.7" })).not.toThrow();
    for (let i = 0; i < 5; i++) quota.acquire(null);
    expect(quota.openStreams).toBe(10);
  });

  it("refuses a loop that opens and drops streams, per caller and per address, until the rate refills", () => {
    const clock = { now: 0 };
    const quota = new StreamQuota(
      {
        opens: {
          perCaller: { perSecond: 2, burst: 3 },
          perAddress: { perSecond: 4, burst: 6 },
        },
      },
      () => clock.now,
    );
    // Each stream is dropped at once, so only the rate of opening can stop the loop.
    for (let i = 0; i < 3; i++) quota.acquire({ caller: "guest:g1" })();
    const error = refusal(() => quota.acquire({ caller: "guest:g1" }));
    expect(error.status).toBe(429);
    expect(error.message).toMatch(/at most 2 a second from you/u);
    expect(error.retryAfterMs).toBe(500);
    expect(() => quota.acquire({ caller: "guest:g2" })()).not.toThrow();
    for (let i = 0; i < 6; i++) quota.acquire({ address: "203.0.113.7" })();
    expect(refusal(() => quota.acquire({ address: "203.0.113.7" })).message).toMatch(/address/u);
    clock.now += 500;
    expect(() => quota.acquire({ caller: "guest:g1" })()).not.toThrow();
    expect(quota.refused.openRate).toBe(2);
    // Nothing to count by (no cookie, no address): not limited here.
    for (let i = 0; i < 20; i++) quota.acquire(null)();
  });

  it("charges a guest's opens to their address too: fresh cookies buy nothing", () => {
    const quota = new StreamQuota({
      opens: { perCaller: { perSecond: 5, burst: 5 }, perAddress: { perSecond: 1, burst: 2 } },
    });
    quota.acquire({ caller: "guest:g1" }, "203.0.113.7")();
    quota.acquire({ caller: "guest:g2" }, "203.0.113.7")();
    const error = refusal(() => quota.acquire({ caller: "guest:g3" }, "203.0.113.7"));
    expect(error.message).toMatch(/from your address/u);
    // A refusal charged nothing: g3's own bucket is untouched, and a user has no address charge.
    expect(() => quota.acquire({ caller: "guest:g3" }, "198.51.100.1")()).not.toThrow();
    expect(() => quota.acquire({ caller: "user:alice" })()).not.toThrow();
  });

  it("can turn the open rate off", () => {
    const quota = new StreamQuota({ opens: null });
    for (let i = 0; i < 500; i++) quota.acquire({ caller: "user:bench" })();
  });
});
