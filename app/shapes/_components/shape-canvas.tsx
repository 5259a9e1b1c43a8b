"use client";

import { useRef, useState, type PointerEvent } from "react";
import { CANVAS_HEIGHT, CANVAS_WIDTH, type Shape } from "@/app/shapes/_lib/shapes";

export type Tool = "move" | "circle" | "rect";

interface Drag {
  id: string;
  dx: number;
  dy: number;
  x: number;
  y: number;
}

/** An SVG canvas: click to add with the circle/rect tool, drag shapes with the move tool. */
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
  const interactive = tool !== undefined;

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

  return (
    <svg
      ref={svg}
      viewBox={`0 0 ${CANVAS_WIDTH} ${CANVAS_HEIGHT}`}
      role="img"
      aria-label={label}
      data-testid={interactive ? "my-canvas" : "mirror-canvas"}
      data-shape-count={shapes.length}
      className={`w-full touch-none rounded-xl border border-slate-200 bg-white shadow-inner ${
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
        const common = {
          "data-shape": shape.kind,
          fill: shape.color,
          fillOpacity: 0.85,
          stroke: "#0f172a",
          strokeOpacity: 0.15,
          strokeWidth: 2,
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
    </svg>
  );
}
