"use client";

import { useState, type KeyboardEvent } from "react";
import { CANVAS_HEIGHT, CANVAS_WIDTH, type Shape } from "@/app/shapes/_lib/shapes";
import type { Tool } from "./shape-canvas";

/** What the canvas says it does from the keyboard (its accessible description). */
export const CANVAS_KEYS =
  "With a shape tool, arrow keys move the cursor and Enter adds a shape there. With the move " +
  "tool, Enter picks the next shape and arrow keys move it; Shift moves further.";

const ARROWS: Record<string, [number, number]> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
};

const clamp = (value: number, max: number) => Math.min(max, Math.max(0, value));

/**
 * Drawing without a pointer: a cursor to add shapes at, and a selection to move. What each key
 * did is told in `status`, for a polite live region.
 */
export function useCanvasKeyboard({
  shapes,
  tool,
  onAdd,
  onMove,
}: {
  shapes: readonly Shape[];
  tool: Tool | undefined;
  onAdd: ((x: number, y: number) => void) | undefined;
  onMove: ((id: string, x: number, y: number) => void) | undefined;
}) {
  const [cursor, setCursor] = useState({ x: CANVAS_WIDTH / 2, y: CANVAS_HEIGHT / 2 });
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [status, setStatus] = useState("");
  const selectedIndex = shapes.findIndex((shape) => shape.id === selectedId);

  const onKeyDown = (event: KeyboardEvent<SVGSVGElement>) => {
    if (tool === undefined) return;
    const arrow = ARROWS[event.key];
    const isEnter = event.key === "Enter" || event.key === " ";
    if (!arrow && !isEnter && event.key !== "Escape") return;
    event.preventDefault();
    const step = event.shiftKey ? 50 : 10;
    if (tool !== "move") {
      if (isEnter) {
        onAdd?.(cursor.x, cursor.y);
        setStatus(
          `${tool === "circle" ? "Circle" : "Rectangle"} added at ${cursor.x}, ${cursor.y}`,
        );
      } else if (arrow) {
        const next = {
          x: clamp(cursor.x + arrow[0] * step, CANVAS_WIDTH),
          y: clamp(cursor.y + arrow[1] * step, CANVAS_HEIGHT),
        };
        setCursor(next);
        setStatus(`Cursor at ${next.x}, ${next.y}`);
      }
      return;
    }
    if (event.key === "Escape") {
      setSelectedId(null);
      setStatus("Nothing selected");
    } else if (isEnter) {
      if (shapes.length === 0) return setStatus("No shapes to pick yet");
      const index = (selectedIndex + 1) % shapes.length;
      setSelectedId(shapes[index]!.id);
      setStatus(`Shape ${index + 1} of ${shapes.length} picked`);
    } else if (arrow && selectedIndex >= 0) {
      const shape = shapes[selectedIndex]!;
      const x = clamp(shape.x + arrow[0] * step, CANVAS_WIDTH);
      const y = clamp(shape.y + arrow[1] * step, CANVAS_HEIGHT);
      onMove?.(shape.id, x, y);
      setStatus(`Moved to ${x}, ${y}`);
    }
  };

  return {
    cursor,
    selectedId: selectedIndex >= 0 ? selectedId : null,
    status,
    onKeyDown,
  };
}
