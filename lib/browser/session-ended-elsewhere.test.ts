import { describe, expect, it, vi } from "vitest";
import { isSessionEndedElsewhere, reloadAtMostOnceAMinute } from "./session-ended-elsewhere";
import type { StreamInfo } from "./shared-event-stream";

const info = (userId: string) => ({ userId }) as StreamInfo;

describe("a session that ended elsewhere", () => {
  it("is a signed-in page whose stream answers as someone else", () => {
    expect(isSessionEndedElsewhere("u-ada", info("guest-12ab"))).toBe(true);
    expect(isSessionEndedElsewhere("u-ada", info("u-ada"))).toBe(false);
    // Not connected yet, or a guest's page, whoever the stream says it is.
    expect(isSessionEndedElsewhere("u-ada", null)).toBe(false);
    expect(isSessionEndedElsewhere("guest", info("guest-12ab"))).toBe(false);
  });

  it("reloads the page at most once a minute, so two instances that disagree cannot loop", () => {
    const stored = new Map<string, string>();
    const storage = {
      getItem: (key: string) => stored.get(key) ?? null,
      setItem: (key: string, value: string) => void stored.set(key, value),
    };
    let clock = 1_000_000;
    const reload = vi.fn();
    const deps = { storage, reload, now: () => clock };
    expect(reloadAtMostOnceAMinute(deps)).toBe(true);
    clock += 59_999;
    expect(reloadAtMostOnceAMinute(deps)).toBe(false);
    clock += 1;
    expect(reloadAtMostOnceAMinute(deps)).toBe(true);
    expect(reload).toHaveBeenCalledTimes(2);
  });
});
