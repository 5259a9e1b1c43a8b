import { QueryClient } from "@tanstack/react-query";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { refetchSoon, subscribersKey } from "./presence";

describe("refetchSoon", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("refetches a member list at once, then at most once every two seconds, per list", () => {
    const client = new QueryClient();
    const cancel = vi.spyOn(client, "cancelQueries").mockResolvedValue();
    // 40 presence frames a second for a second, on one channel, and one frame on another.
    for (let i = 0; i < 40; i++) {
      refetchSoon(client, subscribersKey("home"));
      vi.advanceTimersByTime(25);
    }
    refetchSoon(client, subscribersKey("lobby"));
    expect(cancel).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(2000);
    expect(cancel).toHaveBeenCalledTimes(3);
    expect(cancel.mock.calls.map(([filters]) => filters?.queryKey)).toEqual([
      subscribersKey("home"),
      subscribersKey("lobby"),
      subscribersKey("home"),
    ]);
  });
});
