import type { Logger } from "pino";
import type { z } from "zod";
import { tooManyFailedSignInsMessage, type SignInThrottle } from "./auth-throttle";
import type { AuthorizedUser } from "./authorize-credentials";
import { changePasswordSchema } from "./credentials-schema";

export type ChangePasswordField = "currentPassword" | "newPassword" | "confirmPassword";

/** Why a password was not changed: the form's fields at fault, or a message for the whole form. */
export interface ChangePasswordRefusal {
  error?: string;
  fieldErrors?: Partial<Record<ChangePasswordField, string>>;
}

export type ChangePasswordOutcome =
  { newPassword: string; credentialVersion: number } | { refusal: ChangePasswordRefusal };

export interface ChangePasswordDependencies {
  /** The user when the password matches; `null` otherwise. */
  verifyUser: (name: string, password: string) => Promise<AuthorizedUser | null>;
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
  /** The sign-in throttle: the current password is a password guess like any other. */
  throttle: SignInThrottle;
  log: Pick<Logger, "warn" | "info">;
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
 * Changes a signed-in account's password once its current one is proved. That proof is counted
 * as a sign-in attempt, before it is checked, against the same limits as the sign-in form:
 * someone holding a stolen session guesses the current password no faster here than there. A
 * new password equal to the current one is refused only after the current one is proved, so the
 * refusal cannot be used to test guesses.
 */
export async function changePassword(
  { account, form, address, device }: ChangePasswordRequest,
  { verifyUser, replacePassword, throttle, log }: ChangePasswordDependencies,
): Promise<ChangePasswordOutcome> {
  const parsed = changePasswordSchema.safeParse(form);
  if (!parsed.success) return { refusal: { fieldErrors: fieldErrorsOf(parsed.error) } };
  const { currentPassword, newPassword } = parsed.data;
  const fields = { event: "password_change_failed", name: account.name, address: address ?? null };
  const attempt = await throttle.begin(account.name, address, device);
  if (!attempt.allowed) {
    log.warn({ ...fields, reason: "throttled" }, "password change refused: too many failures");
    return { refusal: { error: tooManyFailedSignInsMessage(attempt.retryAfterMs) } };
  }
  const user = await verifyUser(account.name, currentPassword);
  if (user?.id !== account.id) {
    log.warn({ ...fields, reason: "wrong" }, "password change failed");
    if (!attempt.after.allowed)
      return { refusal: { error: tooManyFailedSignInsMessage(attempt.after.retryAfterMs) } };
    return { refusal: { fieldErrors: { currentPassword: "Wrong password" } } };
  }
  await attempt.succeeded();
  if (newPassword === currentPassword)
    return {
      refusal: { fieldErrors: { newPassword: "That is your current password: choose another" } },
    };
  // Written only if no other change landed since the check: of two at once, one wins whole.
  const credentialVersion = await replacePassword(account.id, newPassword, user.credentialVersion);
  if (credentialVersion === undefined)
    return { refusal: { error: "Your password was changed meanwhile: sign in again" } };
  log.info({ event: "password_changed", name: account.name }, "password changed");
  return { newPassword, credentialVersion };
}
