"use client";

import { useRef, type KeyboardEvent, type RefObject } from "react";

/**
 * The message box: Enter sends, ↑/↓ walk through what you sent (command history), Tab completes
 * `@na` to a user's name.
 */
export function Composer({
  text,
  setText,
  channel,
  names,
  disabled,
  error,
  onSend,
  inputRef,
}: {
  text: string;
  setText: (text: string) => void;
  channel: string;
  names: readonly string[];
  disabled: boolean;
  error: string | null;
  onSend: (text: string) => void;
  inputRef: RefObject<HTMLInputElement | null>;
}) {
  const history = useRef<string[]>([]);
  const cursor = useRef(0);

  const send = () => {
    const value = text.trim();
    if (!value || disabled) return;
    onSend(value);
    history.current.push(value);
    cursor.current = history.current.length;
    setText("");
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
      {error && (
        <p role="alert" className="mb-2 text-sm text-rose-600">
          {error}
        </p>
      )}
      <div className="flex gap-2">
        <input
          ref={inputRef}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKeyDown}
          aria-label="Message"
          placeholder={`Message #${channel} — try @name, @me or /cmd.announce hello`}
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
