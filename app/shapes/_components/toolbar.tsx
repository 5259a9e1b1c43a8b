import type { Tool } from "./shape-canvas";

export const PALETTE = ["#6366f1", "#ec4899", "#f59e0b", "#10b981", "#0ea5e9", "#ef4444"];

const tools: { id: Tool; label: string; icon: string }[] = [
  { id: "circle", label: "Circle", icon: "●" },
  { id: "rect", label: "Rectangle", icon: "■" },
  { id: "move", label: "Move", icon: "✥" },
];

const button =
  "rounded-lg px-3 py-1.5 text-sm font-medium ring-1 ring-slate-200 transition disabled:opacity-40";

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
    <div className="flex flex-wrap items-center gap-2" role="toolbar" aria-label="Drawing tools">
      {tools.map((t) => (
        <button
          key={t.id}
          type="button"
          onClick={() => onTool(t.id)}
          aria-pressed={tool === t.id}
          className={`${button} ${tool === t.id ? "bg-slate-900 text-white ring-slate-900" : "bg-white text-slate-700 hover:bg-slate-50"}`}
        >
          <span aria-hidden className="mr-1">
            {t.icon}
          </span>
          {t.label}
        </button>
      ))}
      <span className="mx-1 h-6 w-px bg-slate-200" aria-hidden />
      {PALETTE.map((c) => (
        <button
          key={c}
          type="button"
          onClick={() => onColor(c)}
          aria-label={`Colour ${c}`}
          aria-pressed={color === c}
          className={`size-7 rounded-full ring-offset-2 transition ${color === c ? "ring-2 ring-slate-900" : "ring-1 ring-slate-200"}`}
          style={{ backgroundColor: c }}
        />
      ))}
      <span className="mx-1 h-6 w-px bg-slate-200" aria-hidden />
      <button type="button" onClick={onUndo} disabled={!canUndo} className={`${button} bg-white`}>
        ↶ Undo
      </button>
      <button type="button" onClick={onRedo} disabled={!canRedo} className={`${button} bg-white`}>
        ↷ Redo
      </button>
      <button type="button" onClick={onClear} className={`${button} bg-white text-rose-600`}>
        Clear
      </button>
    </div>
  );
}
