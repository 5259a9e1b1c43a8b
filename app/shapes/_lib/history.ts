import type { Shape } from "./shapes";

/** The canvas with its past and future: undo/redo is time travel over whole states. */
export interface DrawingHistory {
  past: Shape[][];
  present: Shape[];
  future: Shape[][];
}

export type DrawingAction =
  | { type: "add"; shape: Shape }
  | { type: "move"; id: string; x: number; y: number }
  | { type: "recolor"; id: string; color: string }
  | { type: "remove"; id: string }
  | { type: "clear" }
  | { type: "undo" }
  | { type: "redo" };

export const emptyHistory: DrawingHistory = { past: [], present: [], future: [] };

const commit = (history: DrawingHistory, present: Shape[]): DrawingHistory => ({
  past: [...history.past, history.present].slice(-200),
  present,
  future: [],
});

export function drawingReducer(history: DrawingHistory, action: DrawingAction): DrawingHistory {
  const { past, present, future } = history;
  switch (action.type) {
    case "add":
      return commit(history, [...present, action.shape]);
    case "move":
      return commit(
        history,
        present.map((s) => (s.id === action.id ? { ...s, x: action.x, y: action.y } : s)),
      );
    case "recolor":
      return commit(
        history,
        present.map((s) => (s.id === action.id ? { ...s, color: action.color } : s)),
      );
    case "remove":
      return commit(
        history,
        present.filter((s) => s.id !== action.id),
      );
    case "clear":
      return present.length === 0 ? history : commit(history, []);
    case "undo":
      return past.length === 0
        ? history
        : { past: past.slice(0, -1), present: past.at(-1)!, future: [present, ...future] };
    case "redo":
      return future.length === 0
        ? history
        : { past: [...past, present], present: future[0]!, future: future.slice(1) };
  }
}
