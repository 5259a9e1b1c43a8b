import type { z } from "zod";
import { changePasswordSchema } from "./credentials-schema";
import { provePassword, type ProvePasswordDependencies } from "./prove-password";

export type ChangePasswordField = "currentPassword" | "newPassword" | "confirmPassword";

/** Why a password was not changed: the form's fields at fault, or a message for the whole form. */
export interface ChangePasswordRefusal {
  error?: string;
  fieldErrors?: Partial<Record<ChangePasswordField, string>>;
}

export type ChangePasswordOutcome =
  { newPassword: string; credentialVersion: number } | { refusal: ChangePasswordRefusal };

export interface ChangePasswordDependencies extends ProvePasswordDependencies {
  /**
   * Stores the new password and ends the account's other sessions (db/credential-versions.ts),
   * unless its credential version moved on from `verifiedVersion` meanwhile (another change).
   * @returns the new version, or undefined when nothing was written
   */
  replacePassword: (
    userId: string,
    password: string,
    verifiedVersion: number,
  ) => Promise<number | undefined>;
}

export interface ChangePasswordRequest {
  /** The signed-in account, from its session. */
  account: { id: string; name: string };
  /** The form's fields, as posted. */
  form: Partial<Record<ChangePasswordField, unknown>>;
  /** Where the guesses are counted (lib/auth/auth-throttle.ts). */
  address: string | undefined;
  device: string | undefined;
}

function fieldErrorsOf(error: z.ZodError) {
  const errors: Partial<Record<ChangePasswordField, string>> = {};
  for (const issue of error.issues) {
    const field = issue.path[0] as ChangePasswordField;
    errors[field] ??= issue.message;
  }
  return errors;
}

/**
 * Changes a signed-in account's password once its current one is proved (`provePassword`). A
 * new password equal to the current one is refused only after the current one is proved, so the
 * refusal cannot be used to test guesses.
 */
export async function changePassword(
  { account, form, address, device }: ChangePasswordRequest,
  { replacePassword, ...deps }: ChangePasswordDependencies,
): Promise<ChangePasswordOutcome> {
  const parsed = changePasswordSchema.safeParse(form);
  if (!parsed.success) return { refusal: { fieldErrors: fieldErrorsOf(parsed.error) } };
  const { currentPassword, newPassword } = parsed.data;
  const proof = await provePassword(
    { account, password: currentPassword, address, device, purpose: "password_change" },
    deps,
  );
  if ("throttled" in proof) return { refusal: { error: proof.throttled } };
  if ("wrongPassword" in proof)
    return { refusal: { fieldErrors: { currentPassword: "Wrong password" } } };
  if (newPassword === currentPassword)
    return {
      refusal: { fieldErrors: { newPassword: "That is your current password: choose another" } },
    };
  // Written only if no other change landed since the check: of two at once, one wins whole.
  const verified = proof.user.credentialVersion;
  const credentialVersion = await replacePassword(account.id, newPassword, verified);
  if (credentialVersion === undefined)
    return { refusal: { error: "Your password was changed meanwhile: sign in again" } };
  deps.log.info({ event: "password_changed", name: account.name }, "password changed");
  return { newPassword, credentialVersion };
}
