import { describe, expect, it } from "vitest";
import {
  batchHeader,
  decodeBusPayload,
  encodeBody,
  encodeControl,
  planChunks,
} from "@/lib/server-events-cluster";
import { INLINE_LIMIT_BYTES } from "./notification";

describe("NOTIFY payloads", () => {
  it("keeps every slice of a batch under NOTIFY's 8,000-byte limit, header included", () => {
    const bodies = Array.from({ length: 300 }, (_, n) =>
      encodeBody({ target: { kind: "all" }, selector: "cmd.n", json: `"${"é".repeat(n % 97)}"` }),
    );
    const header = batchHeader(Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, Date.now());
    const chunks = planChunks(bodies, INLINE_LIMIT_BYTES);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      const payload = `${header}${chunk.bodies}`;
      expect(Buffer.byteLength(payload, "utf8")).toBeLessThan(8_000);
    }
    const [first] = chunks;
    const decoded = decodeBusPayload(`${batchHeader(2, 1 + first!.count, 0)}${first!.bodies}`);
    expect(decoded).toMatchObject({ kind: "batch", first: 2, last: 1 + first!.count });
  });

  it("sends pulses as they are and refuses oversized control messages", () => {
    const payload = encodeControl("b", "a", { type: "pulse", id: "x" }, INLINE_LIMIT_BYTES);
    expect(decodeBusPayload(payload)).toEqual({
      kind: "control",
      to: "b",
      from: "a",
      message: { type: "pulse", id: "x" },
    });
    const channels = Array.from({ length: 1000 }, (_, n) => `channel-${n}`);
    expect(() =>
      encodeControl("b", "a", { type: "subscribe", id: "x", channels }, INLINE_LIMIT_BYTES),
    ).toThrow();
  });
});
