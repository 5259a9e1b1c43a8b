"use client";

import Link from "next/link";
import { useActionState } from "react";
import type { AuthFormState } from "../actions";

interface AuthFormProps {
  mode: "signin" | "signup";
  action: (state: AuthFormState, formData: FormData) => Promise<AuthFormState>;
  next: string;
}

const copy = {
  signin: { title: "Welcome back", submit: "Sign in", busy: "Signing in…" },
  signup: { title: "Create your account", submit: "Create account", busy: "Creating…" },
};

export function AuthForm({ mode, action, next }: AuthFormProps) {
  const [state, formAction, pending] = useActionState(action, {});
  const text = copy[mode];
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <input type="hidden" name="next" value={next} />
      <Field
        label="Name"
        name="name"
        autoComplete="username"
        defaultValue={state.name}
        error={state.fieldErrors?.name}
      />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete={mode === "signup" ? "new-password" : "current-password"}
        error={state.fieldErrors?.password}
      />
      {state.error && (
        <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-700">
          {state.error}
        </p>
      )}
      <button
        type="submit"
        disabled={pending}
        className="w-full rounded-lg bg-indigo-600 px-4 py-2.5 font-medium text-white shadow-sm transition hover:bg-indigo-500 disabled:opacity-60"
      >
        {pending ? text.busy : text.submit}
      </button>
      <p className="text-center text-sm text-slate-500">
        {mode === "signin" ? "New here? " : "Already have an account? "}
        <Link
          href={`/${mode === "signin" ? "signup" : "signin"}?next=${encodeURIComponent(next)}`}
          className="font-medium text-indigo-600 hover:underline"
        >
          {mode === "signin" ? "Create an account" : "Sign in"}
        </Link>
      </p>
    </form>
  );
}

interface FieldProps {
  label: string;
  name: string;
  type?: string;
  autoComplete: string;
  defaultValue?: string | undefined;
  error?: string | undefined;
}

function Field({ label, name, type = "text", autoComplete, defaultValue, error }: FieldProps) {
  const errorId = `${name}-error`;
  return (
    <label className="block">
      <span className="text-sm font-medium text-slate-700">{label}</span>
      <input
        name={name}
        type={type}
        required
        autoComplete={autoComplete}
        defaultValue={defaultValue}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        className="mt-1 block w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-slate-900 shadow-sm outline-none focus:border-indigo-500 focus:ring-2 focus:ring-indigo-200 aria-invalid:border-rose-400"
      />
      {error && (
        <span id={errorId} className="mt-1 block text-sm text-rose-600">
          {error}
        </span>
      )}
    </label>
  );
}
