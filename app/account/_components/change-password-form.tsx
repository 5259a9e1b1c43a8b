"use client";

import { FormAlert, SubmitButton } from "@/app/_components/form-footer";
import { FormField } from "@/app/_components/form-field";
import { useFormAction } from "@/app/_components/use-form-action";
import { PASSWORD_RULE, passwordSchema } from "@/lib/auth/credentials-schema";
import type { ChangePasswordRefusal } from "@/lib/auth/change-password";
import { changePasswordAction } from "../actions";

/** Current password, new password twice. The new one's rule is checked as it is typed. */
export function ChangePasswordForm({ userName }: { userName: string }) {
  const [state, formAction, pending] = useFormAction<ChangePasswordRefusal>(
    changePasswordAction,
    {},
  );
  const errors = state.fieldErrors ?? {};
  // Each answer remounts the fields (a fresh key), so that they show it and start empty again.
  const { attempt } = state;
  return (
    <form action={formAction} className="space-y-4" noValidate>
      {/* For password managers: whose password this is. */}
      <input type="text" name="username" autoComplete="username" value={userName} readOnly hidden />
      <FormField
        key={`current-${attempt}`}
        label="Current password"
        name="currentPassword"
        type="password"
        autoComplete="current-password"
        error={errors.currentPassword}
      />
      <FormField
        key={`new-${attempt}`}
        label="New password"
        name="newPassword"
        type="password"
        autoComplete="new-password"
        error={errors.newPassword}
        hint={PASSWORD_RULE}
        schema={passwordSchema}
      />
      <FormField
        key={`confirm-${attempt}`}
        label="New password, again"
        name="confirmPassword"
        type="password"
        autoComplete="new-password"
        error={errors.confirmPassword}
      />
      <FormAlert message={state.error} />
      <SubmitButton pending={pending} label="Change password" busy="Changing…" />
    </form>
  );
}
