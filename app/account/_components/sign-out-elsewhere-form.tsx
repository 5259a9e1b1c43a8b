"use client";

import { FormAlert, SubmitButton } from "@/app/_components/form-footer";
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
      <FormAlert message={state.error} />
      <SubmitButton
        pending={pending}
        label="Sign out everywhere else"
        busy="Signing out…"
        look="secondary"
      />
    </form>
  );
}
