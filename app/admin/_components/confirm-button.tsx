"use client";

import { useState } from "react";

const tones = {
  danger: "bg-rose-600 text-white hover:bg-rose-500",
  primary: "bg-indigo-600 text-white hover:bg-indigo-500",
};

/**
 * An action that asks first: the button turns into "question? Yes / Cancel" in place, so nothing
 * happens on a stray click and no browser dialog interrupts the live page.
 */
export function ConfirmButton({
  label,
  question,
  confirmLabel,
  onConfirm,
  disabled = false,
  tone = "danger",
}: {
  label: string;
  question: string;
  confirmLabel: string;
  onConfirm: () => void;
  disabled?: boolean;
  tone?: keyof typeof tones;
}) {
  const [asking, setAsking] = useState(false);
  if (!asking)
    return (
      <button
        type="button"
        disabled={disabled}
        onClick={() => setAsking(true)}
        className={`rounded-md px-2.5 py-1 text-sm font-medium whitespace-nowrap disabled:opacity-50 ${
          tone === "danger"
            ? "text-rose-700 ring-1 ring-rose-200 hover:bg-rose-50"
            : "text-indigo-700 ring-1 ring-indigo-200 hover:bg-indigo-50"
        }`}
      >
        {label}
      </button>
    );
  return (
    <span role="group" aria-label={question} className="inline-flex items-center gap-1.5">
      <span className="text-xs text-slate-600">{question}</span>
      <button
        type="button"
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
        className={`rounded-md px-2.5 py-1 text-sm font-medium whitespace-nowrap ${tones[tone]}`}
      >
        {confirmLabel}
      </button>
      <button
        type="button"
        onClick={() => setAsking(false)}
        className="rounded-md px-2 py-1 text-sm text-slate-600 hover:bg-slate-100"
      >
        Cancel
      </button>
    </span>
  );
}
