"use client";

import { useId, useState } from "react";
import type { ZodType } from "zod";

export interface FormFieldProps {
  label: string;
  name: string;
  type?: string;
  autoComplete: string;
  defaultValue?: string | undefined;
  /** The server's refusal, shown until the field is edited. */
  error?: string | undefined;
  /** The rule, shown under the field. */
  hint?: string;
  /** Checked when the field is left, then as it is edited, so a problem is told at once. */
  schema?: ZodType;
}

/** One labelled input of a form, with its rule under it and the problem with it, told as you go. */
export function FormField({
  label,
  name,
  type = "text",
  autoComplete,
  defaultValue,
  error,
  hint,
  schema,
}: FormFieldProps) {
  const [problem, setProblem] = useState(error);
  const [isChecking, setChecking] = useState(false);
  const check = (value: string) =>
    setProblem(schema?.safeParse(value).error?.issues[0]?.message ?? undefined);
  const id = useId();
  const errorId = `${name}-error`;
  const hintId = `${name}-hint`;
  const describedBy = [problem ? errorId : null, hint ? hintId : null].filter(Boolean).join(" ");
  return (
    // The label names the input; the rule and the problem describe it (read after the name).
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      <input
        id={id}
        name={name}
        type={type}
        required
        autoComplete={autoComplete}
        defaultValue={defaultValue}
        onBlur={(event) => {
          if (!schema || event.target.value === "") return;
          setChecking(true);
          check(event.target.value);
        }}
        onChange={(event) => {
          if (isChecking) check(event.target.value);
          else setProblem(undefined);
        }}
        aria-invalid={problem ? true : undefined}
        aria-describedby={describedBy || undefined}
        className="mt-1 block w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-slate-900 shadow-sm outline-none focus:border-indigo-500 focus:ring-2 focus:ring-indigo-200 aria-invalid:border-rose-400"
      />
      {problem && (
        <span id={errorId} className="mt-1 block text-sm text-rose-600" aria-live="polite">
          {problem}
        </span>
      )}
      {hint && (
        <span id={hintId} className="mt-1 block text-xs text-slate-500">
          {hint}
        </span>
      )}
    </div>
  );
}
