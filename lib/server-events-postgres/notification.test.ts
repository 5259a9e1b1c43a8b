import { describe, expect, it } from "vitest";
import {
  decodeNotification,
  encodeControl,
  encodeInlineBody,
  INLINE_LIMIT_BYTES,
} from "./notification";
import { reconnectDelay } from "./postgres-listener";

describe("NOTIFY payloads", () => {
  it("round-trips an inline message behind the SQL-built prefix", () => {
    const body = encodeInlineBody({
      target: { kind: "userId", value: "u 1" },
      channelFilter: "room",
      selector: "cmd.chat",
      json: '{"text":"a b"}',
    });
    expect(decodeNotification(`m 42 1700000000000 ${body}`)).toEqual({
      kind: "message",
      id: 42,
      createdAt: 1_700_000_000_000,
      message: {
        id: 42,
        createdAt: 1_700_000_000_000,
        target: { kind: "userId", value: "u 1" },
        channelFilter: "room",
        selector: "cmd.chat",
        json: '{"text":"a b"}',
      },
    });
  });

  it("decodes a spilled message as a reference only", () => {
    expect(decodeNotification("m 7 1")).toEqual({
      kind: "message",
      id: 7,
      createdAt: 1,
      message: null,
    });
  });

  it("measures the limit in bytes, not characters", () => {
    const fits = "a".repeat(INLINE_LIMIT_BYTES - 100);
    const request = (json: string) => ({ target: { kind: "all" as const }, selector: "s", json });
    expect(encodeInlineBody(request(JSON.stringify(fits)))).not.toBeNull();
    // Same number of characters, three bytes each in UTF-8.
    expect(encodeInlineBody(request(JSON.stringify("€".repeat(fits.length))))).toBeNull();
  });

  it("round-trips control messages and refuses oversized ones", () => {
    const payload = encodeControl("b", "a", { type: "subscribe", id: "x", channels: ["c"] });
    expect(decodeNotification(payload)).toEqual({
      kind: "control",
      to: "b",
      from: "a",
      message: { type: "subscribe", id: "x", channels: ["c"] },
    });
    const channels = Array.from({ length: 1000 }, (_, n) => `channel-${n}`);
    expect(() => encodeControl("b", "a", { type: "subscribe", id: "x", channels })).toThrow();
  });

  it("refuses a payload it does not know", () => {
    expect(() => decodeNotification("hello")).toThrow(/unexpected notification/);
  });
});

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
