import { provePassword, type ProvePasswordDependencies } from "./prove-password";

export interface SignOutElsewhereDependencies extends ProvePasswordDependencies {
  /**
   * Moves the account's credential version on, which ends every session issued before
   * (db/credential-versions.ts), unless it moved on from `verifiedVersion` meanwhile.
   * @returns the new version, or undefined when nothing was written
   */
  endAllSessions: (userId: string, verifiedVersion: number) => Promise<number | undefined>;
}

export interface SignOutElsewhereRequest {
  account: { id: string; name: string };
  form: { password?: unknown };
  address: string | undefined;
  device: string | undefined;
}

/** Why nothing was signed out: the password at fault, or a message for the whole form. */
export interface SignOutElsewhereRefusal {
  error?: string;
  fieldErrors?: { password?: string };
}

export type SignOutElsewhereOutcome =
  { credentialVersion: number; password: string } | { refusal: SignOutElsewhereRefusal };

/** What a sign-in may send (credentials-schema.ts): nobody makes the server hash megabytes. */
const MAX_PASSWORD_LENGTH = 200;

/**
 * Ends every session of a signed-in account, once its password is proved (`provePassword`):
 * the caller then signs this browser in again under the new credential version, with the
 * password just proved, so that only this session carries on.
 */
export async function signOutElsewhere(
  { account, form, address, device }: SignOutElsewhereRequest,
  { endAllSessions, ...deps }: SignOutElsewhereDependencies,
): Promise<SignOutElsewhereOutcome> {
  const password = typeof form.password === "string" ? form.password : "";
  if (password === "") return { refusal: { fieldErrors: { password: "Enter your password" } } };
  if (password.length > MAX_PASSWORD_LENGTH)
    return { refusal: { fieldErrors: { password: "Wrong password" } } };
  const proof = await provePassword(
    { account, password, address, device, purpose: "sign_out_elsewhere" },
    deps,
  );
  if ("throttled" in proof) return { refusal: { error: proof.throttled } };
  if ("wrongPassword" in proof) return { refusal: { fieldErrors: { password: "Wrong password" } } };
  const credentialVersion = await endAllSessions(account.id, proof.user.credentialVersion);
  if (credentialVersion === undefined)
    return { refusal: { error: "Your password was changed meanwhile: sign in again" } };
  deps.log.info({ event: "signed_out_elsewhere", name: account.name }, "other sessions ended");
  return { credentialVersion, password };
}
