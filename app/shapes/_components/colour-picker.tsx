"use client";

import { useEffect, useId, useRef, useState } from "react";

export const PALETTE = ["#6366f1", "#ec4899", "#f59e0b", "#10b981", "#0ea5e9", "#ef4444"];

function Swatch({
  colour,
  isChosen,
  onChoose,
}: {
  colour: string;
  isChosen: boolean;
  onChoose: (colour: string) => void;
}) {
  return (
    <button
      type="button"
      onClick={() => onChoose(colour)}
      aria-label={`Colour ${colour}`}
      aria-pressed={isChosen}
      className={`size-7 shrink-0 rounded-full ring-offset-2 transition ${isChosen ? "ring-2 ring-slate-900" : "ring-1 ring-slate-200"}`}
      style={{ backgroundColor: colour }}
    />
  );
}

/**
 * The palette: every swatch in a row where the toolbar has room (a container query on the
 * toolbar, so a narrow canvas beside another gets the compact form too), else one button that
 * opens them in a small menu, keeping the toolbar on one row on a phone.
 */
export function ColourPicker({
  colour,
  onColour,
}: {
  colour: string;
  onColour: (colour: string) => void;
}) {
  const [isOpen, setOpen] = useState(false);
  const menuId = useId();
  const root = useRef<HTMLDivElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!isOpen) return;
    const onPointer = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      setOpen(false);
      toggle.current?.focus();
    };
    document.addEventListener("pointerdown", onPointer);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("pointerdown", onPointer);
      document.removeEventListener("keydown", onKey);
    };
  }, [isOpen]);

  const choose = (chosen: string) => {
    onColour(chosen);
    setOpen(false);
  };
  return (
    <div ref={root} className="relative flex items-center">
      <div className="hidden items-center gap-2 @lg:flex">
        {PALETTE.map((c) => (
          <Swatch key={c} colour={c} isChosen={colour === c} onChoose={choose} />
        ))}
      </div>
      <button
        ref={toggle}
        type="button"
        onClick={() => setOpen((open) => !open)}
        aria-label="Colours"
        aria-expanded={isOpen}
        aria-controls={menuId}
        className="grid size-9 place-items-center rounded-lg ring-1 ring-slate-200 @lg:hidden"
      >
        <span className="size-5 rounded-full" style={{ backgroundColor: colour }} aria-hidden />
      </button>
      {isOpen && (
        <div
          id={menuId}
          role="group"
          aria-label="Colours"
          className="absolute top-full left-0 z-20 mt-2 grid w-max grid-cols-3 gap-2.5 rounded-xl bg-white p-3 shadow-lg ring-1 ring-slate-200 @lg:hidden"
        >
          {PALETTE.map((c) => (
            <Swatch key={c} colour={c} isChosen={colour === c} onChoose={choose} />
          ))}
        </div>
      )}
    </div>
  );
}
