"use client";

import { useRef, type KeyboardEvent, type RefObject } from "react";

/**
 * The message box: Enter sends, ↑/↓ walk through what you sent (command history), Tab completes
 * `@na` to a user's name.
 */
export function Composer({
  text,
  setText,
  target,
  names,
  disabled,
  error,
  onDismissError,
  onSend,
  inputRef,
}: {
  text: string;
  setText: (text: string) => void;
  /** `#home` or `@bob`: where what is typed goes. */
  target: string;
  names: readonly string[];
  disabled: boolean;
  error: string | null;
  onDismissError: () => void;
  /** `false` when the text was refused (the error says why). */
  onSend: (text: string) => boolean;
  inputRef: RefObject<HTMLInputElement | null>;
}) {
  const history = useRef<string[]>([]);
  const cursor = useRef(0);

  const send = () => {
    const value = text.trim();
    if (!value || disabled) return;
    history.current.push(value);
    cursor.current = history.current.length;
    // Refused input stays in the box, to be fixed rather than typed again.
    if (onSend(value)) setText("");
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "Enter") {
      event.preventDefault();
      send();
    } else if (event.key === "ArrowUp" && history.current.length > 0) {
      event.preventDefault();
      cursor.current = Math.max(0, cursor.current - 1);
      setText(history.current[cursor.current] ?? "");
    } else if (event.key === "ArrowDown" && history.current.length > 0) {
      event.preventDefault();
      cursor.current = Math.min(history.current.length, cursor.current + 1);
      setText(history.current[cursor.current] ?? "");
    } else if (event.key === "Tab") {
      const match = /(^|\s)@(\w*)$/u.exec(text);
      const prefix = match?.[2]?.toLowerCase();
      const name =
        prefix !== undefined ? names.find((n) => n.toLowerCase().startsWith(prefix)) : undefined;
      if (match && name) {
        event.preventDefault();
        setText(`${text.slice(0, text.length - prefix!.length)}${name} `);
      }
    }
  };

  return (
    <div className="border-t border-slate-200 bg-white p-3">
      {/* Takes its own line above the box (the log above keeps its newest message in view). */}
      {error && (
        <div
          role="alert"
          data-testid="composer-error"
          className="mb-2 flex items-start gap-2 rounded-lg bg-rose-50 px-3 py-1.5 text-sm text-rose-700"
        >
          <p className="min-w-0 flex-1 break-words">{error}</p>
          <button
            type="button"
            onClick={onDismissError}
            aria-label="Dismiss the error"
            className="rounded px-1 text-rose-500 hover:bg-rose-100"
          >
            ×
          </button>
        </div>
      )}
      <div className="flex gap-2">
        <input
          ref={inputRef}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            if (error) onDismissError();
          }}
          onKeyDown={onKeyDown}
          aria-label="Message"
          placeholder={`Message ${target} — try @name, @me or /cmd.announce hello`}
          autoComplete="off"
          className="min-w-0 flex-1 rounded-xl border border-slate-300 px-3.5 py-2.5 outline-none focus:border-indigo-500 focus:ring-2 focus:ring-indigo-100"
        />
        <button
          type="button"
          onClick={send}
          disabled={disabled || !text.trim()}
          className="rounded-xl bg-indigo-600 px-4 font-medium text-white shadow-sm hover:bg-indigo-500 disabled:opacity-50"
        >
          Send
        </button>
      </div>
    </div>
  );
}
