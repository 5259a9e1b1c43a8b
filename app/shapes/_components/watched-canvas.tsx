"use client";

import { useEffect, useRef } from "react";
import { RenderBoundary } from "@/app/_components/render-boundary";
import type { ShapesMessage } from "@/app/shapes/_lib/shapes";
import { ShapeCanvas } from "./shape-canvas";

/**
 * The canvas you watch, mirrored live. Brought into view when you start watching: on a phone it
 * sits above the list where you clicked Watch, out of sight.
 */
export function WatchedCanvas({
  watching,
  mirror,
  onStop,
}: {
  watching: { userId: string; displayName: string };
  mirror: ShapesMessage | null;
  onStop: () => void;
}) {
  const section = useRef<HTMLElement>(null);
  useEffect(() => {
    // "nearest" leaves it alone when it is already visible (beside your canvas on wide screens).
    section.current?.scrollIntoView({ block: "nearest" });
  }, [watching.userId]);
  return (
    <section
      ref={section}
      aria-label={`${watching.displayName}'s canvas`}
      // Clear of the sticky navigation bar when scrolled into view.
      className="min-w-0 scroll-mt-20 space-y-3 rounded-2xl border border-indigo-200 bg-indigo-50/40 p-4 shadow-sm"
    >
      <div className="flex items-center gap-2">
        <span className="size-2 shrink-0 animate-pulse rounded-full bg-rose-500" aria-hidden />
        <div className="min-w-0 flex-1">
          <h2 className="truncate font-semibold">Watching {watching.displayName}</h2>
          <p className="truncate text-xs text-slate-600" data-testid="mirror-status">
            {mirror ? `${mirror.shapes.length} shapes, step ${mirror.version}` : "waiting…"}
          </p>
        </div>
        <button
          type="button"
          onClick={onStop}
          className="shrink-0 rounded-lg bg-white px-3 py-1.5 text-sm font-medium ring-1 ring-slate-200 hover:bg-slate-50"
        >
          Stop watching
        </button>
      </div>
      <RenderBoundary what="This canvas">
        <ShapeCanvas shapes={mirror?.shapes ?? []} label={`${watching.displayName}'s canvas`} />
      </RenderBoundary>
    </section>
  );
}
