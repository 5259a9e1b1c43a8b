import { describe, expect, it } from "vitest";
import { countByReference, planChunks } from "./batch-chunks";

const bodyOf = (bytes: number, char = "a") => char.repeat(bytes - 1);

describe("planChunks", () => {
  it("keeps a batch that fits in one slice, in order", () => {
    expect(planChunks(["one", "two"], 100)).toEqual([
      { offset: 0, count: 2, bodies: "\none\ntwo" },
    ]);
  });

  it("starts a new slice where the next body would pass the limit", () => {
    const chunks = planChunks([bodyOf(40), bodyOf(40), bodyOf(40)], 100);
    expect(chunks.map(({ offset, count }) => [offset, count])).toEqual([
      [0, 2],
      [2, 1],
    ]);
    for (const chunk of chunks) expect(Buffer.byteLength(chunk.bodies)).toBeLessThanOrEqual(100);
  });

  it("sends a body over the limit by reference, neighbours sharing one reference", () => {
    const chunks = planChunks(["small", bodyOf(200), bodyOf(300), "tail"], 100);
    expect(chunks).toEqual([
      { offset: 0, count: 1, bodies: "\nsmall" },
      { offset: 1, count: 2, bodies: "" },
      { offset: 3, count: 1, bodies: "\ntail" },
    ]);
    expect(countByReference(chunks)).toBe(2);
  });

  it("measures bytes, not characters", () => {
    expect(countByReference(planChunks([bodyOf(60)], 100))).toBe(0);
    // The same number of characters, three bytes each in UTF-8.
    expect(countByReference(planChunks([bodyOf(60, "€")], 100))).toBe(1);
  });

  it("covers every entry exactly once", () => {
    const bodies = Array.from({ length: 50 }, (_, n) => bodyOf(1 + ((n * 37) % 120)));
    const chunks = planChunks(bodies, 100);
    let next = 0;
    for (const chunk of chunks) {
      expect(chunk.offset).toBe(next);
      next += chunk.count;
      if (chunk.bodies !== "") expect(chunk.bodies.split("\n").length - 1).toBe(chunk.count);
    }
    expect(next).toBe(bodies.length);
  });
});
