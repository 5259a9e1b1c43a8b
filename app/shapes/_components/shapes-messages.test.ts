import { afterEach, describe, expect, it, vi } from "vitest";
import { parseFrameBody } from "@/lib/browser/frame-body";
import { parseServerEventData } from "@/lib/server-events-client";
import { MAX_SHAPES } from "@/app/shapes/_lib/shapes";
import { shapesMessageSchema } from "./shapes-messages";

afterEach(() => {
  vi.restoreAllMocks();
});

const circle = { id: "c1", kind: "circle", x: 10, y: 20, size: 60, color: "#6366f1" };
const snapshot = {
  shapes: [circle],
  version: 1,
  canUndo: true,
  canRedo: false,
  userId: "-2",
  displayName: "user2",
};
const frame = (body: unknown) =>
  parseServerEventData(`shapes--2@shapes.snapshot ${JSON.stringify(body)}`, 1);

describe("shapesMessageSchema", () => {
  it("accepts the server's snapshot", () => {
    expect(parseFrameBody(shapesMessageSchema, frame(snapshot))).toEqual(snapshot);
  });

  it("drops snapshots the canvas could not draw safely, naming the frame", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    for (const body of [
      "hi",
      { ...snapshot, shapes: "not a list" },
      { ...snapshot, shapes: [{ ...circle, color: "url(https://evil.example/x)" }] },
      { ...snapshot, shapes: [{ ...circle, size: 1e9 }] },
      { ...snapshot, shapes: [{ ...circle, kind: "script" }] },
      { ...snapshot, shapes: Array.from({ length: MAX_SHAPES + 1 }, () => circle) },
      { ...snapshot, userId: undefined },
    ]) {
      expect(parseFrameBody(shapesMessageSchema, frame(body))).toBeUndefined();
    }
    expect(warn.mock.calls[0]?.[0]).toContain("dropped shapes--2@shapes.snapshot");
  });
});
