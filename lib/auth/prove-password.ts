import type { Logger } from "pino";
import { tooManyFailedSignInsMessage, type SignInThrottle } from "./auth-throttle";
import type { AuthorizedUser } from "./authorize-credentials";

export interface ProvePasswordDependencies {
  /** The user when the password matches; `null` otherwise. */
  verifyUser: (name: string, password: string) => Promise<AuthorizedUser | null>;
  /** The sign-in throttle: a signed-in account's password is a password guess like any other. */
  throttle: SignInThrottle;
  log: Pick<Logger, "warn" | "info">;
}

export interface ProvePasswordRequest {
  /** The signed-in account, from its session. */
  account: { id: string; name: string };
  password: string;
  /** Where the guesses are counted (lib/auth/auth-throttle.ts). */
  address: string | undefined;
  device: string | undefined;
  /** What the proof is for, in the log's `event` (`password_change_failed`, …). */
  purpose: string;
}

/** The account, as it is now; or why not: too many failures (what to tell), or a wrong password. */
export type PasswordProof =
  { user: AuthorizedUser } | { throttled: string } | { wrongPassword: true };

/**
 * Proves that the signed-in account's owner is at the keyboard, by its password, before an
 * action that outlasts the session (a new password, signing out everywhere else). The attempt is
 * counted before the password is checked, against the same limits as the sign-in form, so that
 * someone holding a stolen session guesses the password no faster here than there.
 */
export async function provePassword(
  { account, password, address, device, purpose }: ProvePasswordRequest,
  { verifyUser, throttle, log }: ProvePasswordDependencies,
): Promise<PasswordProof> {
  const fields = { event: `${purpose}_failed`, name: account.name, address: address ?? null };
  const action = purpose.replaceAll("_", " ");
  const attempt = await throttle.begin(account.name, address, device);
  if (!attempt.allowed) {
    log.warn({ ...fields, reason: "throttled" }, `${action} refused: too many failures`);
    return { throttled: tooManyFailedSignInsMessage(attempt.retryAfterMs) };
  }
  const user = await verifyUser(account.name, password);
  if (user?.id !== account.id) {
    log.warn({ ...fields, reason: "wrong" }, `${action} failed: wrong password`);
    if (!attempt.after.allowed)
      return { throttled: tooManyFailedSignInsMessage(attempt.after.retryAfterMs) };
    return { wrongPassword: true };
  }
  await attempt.succeeded();
  return { user };
}
