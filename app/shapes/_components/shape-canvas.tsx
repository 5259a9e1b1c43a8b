"use client";

import { useId, useRef, useState, type PointerEvent } from "react";
import { CANVAS_HEIGHT, CANVAS_WIDTH, type Shape } from "@/app/shapes/_lib/shapes";
import { CANVAS_KEYS, useCanvasKeyboard } from "./canvas-keyboard";

export type Tool = "move" | "circle" | "rect";

interface Drag {
  id: string;
  dx: number;
  dy: number;
  x: number;
  y: number;
}

/**
 * An SVG canvas: click to add with the circle/rect tool, drag shapes with the move tool; or, from
 * the keyboard, add at a cursor and move a picked shape (canvas-keyboard.ts).
 */
export function ShapeCanvas({
  shapes,
  label,
  tool,
  onAdd,
  onMove,
}: {
  shapes: readonly Shape[];
  label: string;
  tool?: Tool;
  onAdd?: (x: number, y: number) => void;
  onMove?: (id: string, x: number, y: number) => void;
}) {
  const svg = useRef<SVGSVGElement>(null);
  const [drag, setDrag] = useState<Drag | null>(null);
  const [hasFocus, setFocus] = useState(false);
  const interactive = tool !== undefined;
  const keyboard = useCanvasKeyboard({ shapes, tool, onAdd, onMove });
  const keysId = useId();

  const toCanvas = (event: PointerEvent) => {
    const matrix = svg.current?.getScreenCTM()?.inverse();
    if (!matrix) return { x: 0, y: 0 };
    const point = new DOMPoint(event.clientX, event.clientY).matrixTransform(matrix);
    return { x: Math.round(point.x), y: Math.round(point.y) };
  };

  const onBackground = (event: PointerEvent<SVGRectElement>) => {
    if (!interactive || tool === "move") return;
    const { x, y } = toCanvas(event);
    onAdd?.(x, y);
  };

  const onShapeDown = (event: PointerEvent<SVGElement>, shape: Shape) => {
    if (tool !== "move") return;
    event.stopPropagation();
    (event.target as Element).setPointerCapture?.(event.pointerId);
    const { x, y } = toCanvas(event);
    setDrag({ id: shape.id, dx: x - shape.x, dy: y - shape.y, x: shape.x, y: shape.y });
  };

  const onPointerMove = (event: PointerEvent) => {
    if (!drag) return;
    const { x, y } = toCanvas(event);
    setDrag({ ...drag, x: x - drag.dx, y: y - drag.dy });
  };

  const onPointerUp = () => {
    if (drag) onMove?.(drag.id, drag.x, drag.y);
    setDrag(null);
  };

  const keyboardProps = interactive
    ? {
        role: "application",
        "aria-roledescription": "drawing canvas",
        "aria-describedby": keysId,
        tabIndex: 0,
        onKeyDown: keyboard.onKeyDown,
        onFocus: () => setFocus(true),
        onBlur: () => setFocus(false),
      }
    : { role: "img" };

  return (
    <>
      <svg
        ref={svg}
        viewBox={`0 0 ${CANVAS_WIDTH} ${CANVAS_HEIGHT}`}
        {...keyboardProps}
        aria-label={label}
        data-testid={interactive ? "my-canvas" : "mirror-canvas"}
        data-shape-count={shapes.length}
        className={`w-full touch-none rounded-xl border border-slate-200 bg-white shadow-inner outline-none focus-visible:ring-2 focus-visible:ring-indigo-400 ${
          interactive ? (tool === "move" ? "cursor-grab" : "cursor-crosshair") : ""
        }`}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
      >
        <defs>
          <pattern id="grid" width="25" height="25" patternUnits="userSpaceOnUse">
            <path d="M 25 0 L 0 0 0 25" fill="none" stroke="#eef2f7" strokeWidth="1" />
          </pattern>
        </defs>
        <rect
          width={CANVAS_WIDTH}
          height={CANVAS_HEIGHT}
          fill="url(#grid)"
          onPointerDown={onBackground}
        />
        {shapes.map((shape) => {
          const moved = drag?.id === shape.id ? { ...shape, x: drag.x, y: drag.y } : shape;
          const isPicked = keyboard.selectedId === shape.id;
          const common = {
            "data-shape": shape.kind,
            "data-picked": isPicked || undefined,
            fill: shape.color,
            fillOpacity: 0.85,
            stroke: "#0f172a",
            strokeOpacity: isPicked ? 0.9 : 0.15,
            strokeWidth: isPicked ? 4 : 2,
            strokeDasharray: isPicked ? "8 5" : undefined,
            onPointerDown: (event: PointerEvent<SVGElement>) => onShapeDown(event, shape),
          };
          return shape.kind === "circle" ? (
            <circle key={shape.id} cx={moved.x} cy={moved.y} r={shape.size / 2} {...common} />
          ) : (
            <rect
              key={shape.id}
              x={moved.x - shape.size / 2}
              y={moved.y - shape.size / 2}
              width={shape.size}
              height={shape.size}
              rx={6}
              {...common}
            />
          );
        })}
        {hasFocus && tool !== "move" && interactive && (
          <g data-testid="canvas-cursor" stroke="#4f46e5" strokeWidth={2} pointerEvents="none">
            <line
              x1={keyboard.cursor.x - 12}
              y1={keyboard.cursor.y}
              x2={keyboard.cursor.x + 12}
              y2={keyboard.cursor.y}
            />
            <line
              x1={keyboard.cursor.x}
              y1={keyboard.cursor.y - 12}
              x2={keyboard.cursor.x}
              y2={keyboard.cursor.y + 12}
            />
          </g>
        )}
      </svg>
      {interactive && (
        <>
          <p id={keysId} className="sr-only">
            {CANVAS_KEYS}
          </p>
          <p className="sr-only" aria-live="polite">
            {keyboard.status}
          </p>
        </>
      )}
    </>
  );
}
