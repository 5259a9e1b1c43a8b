"use client";

import { FormField } from "@/app/_components/form-field";
import { useFormAction } from "@/app/_components/use-form-action";
import type { SignOutElsewhereRefusal } from "@/lib/auth/sign-out-elsewhere";
import { signOutElsewhereAction } from "../actions";

/** The password, then every other session of the account ends. */
export function SignOutElsewhereForm({ userName }: { userName: string }) {
  const [state, formAction, pending] = useFormAction<SignOutElsewhereRefusal>(
    signOutElsewhereAction,
    {},
  );
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <input type="text" name="username" autoComplete="username" value={userName} readOnly hidden />
      <FormField
        key={`password-${state.attempt}`}
        label="Your password"
        name="password"
        type="password"
        autoComplete="current-password"
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
        className="w-full rounded-lg border border-slate-300 bg-white px-4 py-2.5 font-medium text-slate-800 shadow-sm transition hover:bg-slate-50 disabled:opacity-60"
      >
        {pending ? "Signing out…" : "Sign out everywhere else"}
      </button>
    </form>
  );
}
