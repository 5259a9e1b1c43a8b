import type { ReactNode } from "react";
import { ColourPicker } from "./colour-picker";
import type { Tool } from "./shape-canvas";

export { PALETTE } from "./colour-picker";

const tools: { id: Tool; label: string; icon: string }[] = [
  { id: "circle", label: "Circle", icon: "●" },
  { id: "rect", label: "Rectangle", icon: "■" },
  { id: "move", label: "Move", icon: "✥" },
];

const button =
  "inline-flex h-9 shrink-0 items-center rounded-lg px-2.5 text-sm font-medium ring-1 ring-slate-200 transition disabled:opacity-40";

/** An icon always; its words only where the toolbar has room (they stay the accessible name). */
function Label({ icon, text }: { icon: ReactNode; text: string }) {
  return (
    <>
      <span aria-hidden>{icon}</span>
      <span className="sr-only @3xl:not-sr-only @3xl:ml-1.5">{text}</span>
    </>
  );
}

const trash = (
  <svg viewBox="0 0 20 20" className="size-4" fill="currentColor">
    <path d="M8 2h4a1 1 0 0 1 1 1v1h4v2H3V4h4V3a1 1 0 0 1 1-1Zm-3 6h10l-.8 9.1A1 1 0 0 1 13.2 18H6.8a1 1 0 0 1-1-.9L5 8Z" />
  </svg>
);

const Divider = () => <span className="h-6 w-px shrink-0 bg-slate-200" aria-hidden />;

/** Tools, colours, undo/redo and clear, on one row at any width (a container query decides). */
export function Toolbar({
  tool,
  color,
  canUndo,
  canRedo,
  onTool,
  onColor,
  onUndo,
  onRedo,
  onClear,
}: {
  tool: Tool;
  color: string;
  canUndo: boolean;
  canRedo: boolean;
  onTool: (tool: Tool) => void;
  onColor: (color: string) => void;
  onUndo: () => void;
  onRedo: () => void;
  onClear: () => void;
}) {
  return (
    <div className="@container">
      <div
        className="flex flex-nowrap items-center gap-1.5 @lg:gap-2"
        role="toolbar"
        aria-label="Drawing tools"
      >
        {tools.map((t) => (
          <button
            key={t.id}
            type="button"
            onClick={() => onTool(t.id)}
            aria-pressed={tool === t.id}
            className={`${button} ${tool === t.id ? "bg-slate-900 text-white ring-slate-900" : "bg-white text-slate-700 hover:bg-slate-50"}`}
          >
            <Label icon={t.icon} text={t.label} />
          </button>
        ))}
        <Divider />
        <ColourPicker colour={color} onColour={onColor} />
        <Divider />
        <button type="button" onClick={onUndo} disabled={!canUndo} className={`${button} bg-white`}>
          <Label icon="↶" text="Undo" />
        </button>
        <button type="button" onClick={onRedo} disabled={!canRedo} className={`${button} bg-white`}>
          <Label icon="↷" text="Redo" />
        </button>
        <button type="button" onClick={onClear} className={`${button} bg-white text-rose-600`}>
          <Label icon={trash} text="Clear" />
        </button>
      </div>
    </div>
  );
}
