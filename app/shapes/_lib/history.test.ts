import { describe, expect, it } from "vitest";
import { drawingReducer, emptyHistory, type DrawingAction } from "./history";
import type { Shape } from "./shapes";

const circle: Shape = { id: "a", kind: "circle", x: 10, y: 10, size: 40, color: "#ff0000" };
const rect: Shape = { id: "b", kind: "rect", x: 50, y: 50, size: 60, color: "#00ff00" };
const run = (...actions: DrawingAction[]) => actions.reduce(drawingReducer, emptyHistory);

describe("drawingReducer", () => {
  it("undoes and redoes whole states", () => {
    const drawn = run({ type: "add", shape: circle }, { type: "add", shape: rect });
    const undone = drawingReducer(drawn, { type: "undo" });
    expect(undone.present).toEqual([circle]);
    expect(drawingReducer(undone, { type: "redo" }).present).toEqual([circle, rect]);
  });

  it("drops the future on a new change", () => {
    const state = run(
      { type: "add", shape: circle },
      { type: "undo" },
      { type: "add", shape: rect },
    );
    expect(state.present).toEqual([rect]);
    expect(state.future).toEqual([]);
  });

  it("moves, recolours and ignores undo with no past", () => {
    const state = run(
      { type: "undo" },
      { type: "add", shape: circle },
      { type: "move", id: "a", x: 99, y: 98 },
      { type: "recolor", id: "a", color: "#0000ff" },
    );
    expect(state.present).toEqual([{ ...circle, x: 99, y: 98, color: "#0000ff" }]);
    expect(state.past).toHaveLength(3);
  });
});
