"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { AuthError } from "next-auth";
import { currentSession, recognizeBrowser, rememberBrowser, signIn } from "@/auth";
import { getAppServices } from "@/app/_server/app-services";
import { announceCredentialChange } from "@/app/_server/credential-changes";
import { verifyUser } from "@/db/auth-store";
import { getAuthThrottles } from "@/db/auth-attempts";
import { endAllSessions, replacePassword } from "@/db/credential-versions";
import { changePassword, type ChangePasswordRefusal } from "@/lib/auth/change-password";
import { signOutElsewhere, type SignOutElsewhereRefusal } from "@/lib/auth/sign-out-elsewhere";
import { formFields } from "@/lib/next/form-fields";
import { logger } from "@/lib/next/logger";
import { clientAddress } from "@/lib/server-events";
import { endStreamsOf } from "./_server/end-streams";

/**
 * The signed-in account (signed out: to sign-in), and where its password proofs are counted: a
 * browser that signed in to the name before counts its own, as on the sign-in form; any other
 * counts against its session. Never against the name: someone holding a stolen session could
 * otherwise lock the name with wrong guesses here, and keep its owner from ending that session.
 */
async function accountRequest() {
  const session = await currentSession();
  if (!session?.user) redirect(`/signin?next=${encodeURIComponent("/account")}`);
  const requestHeaders = await headers();
  const { id, name, sessionId } = session.user;
  const knownBrowser = await recognizeBrowser({ headers: requestHeaders }, name);
  return {
    account: { id, name },
    address: clientAddress(requestHeaders),
    device: knownBrowser ?? (sessionId ? `session-${sessionId}` : undefined),
  };
}

const dependencies = () => ({ verifyUser, throttle: getAuthThrottles().signIn, log: logger });

/**
 * Changes the signed-in account's password (lib/auth/change-password.ts), which signs out its
 * other sessions, then carries this browser over to the new password (`continueHere`).
 */
export async function changePasswordAction(
  _: ChangePasswordRefusal,
  formData: FormData,
): Promise<ChangePasswordRefusal> {
  const request = await accountRequest();
  const fields = formFields(formData);
  const form = {
    currentPassword: fields.text("currentPassword"),
    newPassword: fields.text("newPassword"),
    confirmPassword: fields.text("confirmPassword"),
  };
  const outcome = await changePassword(
    { ...request, form },
    { ...dependencies(), replacePassword },
  );
  if ("refusal" in outcome) return outcome.refusal;
  const { newPassword, credentialVersion } = outcome;
  return continueHere(request.account, newPassword, credentialVersion, "password");
}

/** Ends every other session of the signed-in account (lib/auth/sign-out-elsewhere.ts). */
export async function signOutElsewhereAction(
  _: SignOutElsewhereRefusal,
  formData: FormData,
): Promise<SignOutElsewhereRefusal> {
  const request = await accountRequest();
  const form = { password: formFields(formData).text("password") };
  const outcome = await signOutElsewhere(
    { ...request, form },
    { ...dependencies(), endAllSessions },
  );
  if ("refusal" in outcome) return outcome.refusal;
  const { password, credentialVersion } = outcome;
  return continueHere(request.account, password, credentialVersion, "signed-out");
}

/**
 * After the credential version moved on: ends the account's event streams (this browser's
 * reconnect under its new session), remembers this browser under the new version (so that a
 * lockout someone runs against the name cannot keep its owner out), and signs it in again.
 */
async function continueHere(
  account: { id: string; name: string },
  password: string,
  credentialVersion: number,
  done: "password" | "signed-out",
): Promise<{ error?: string }> {
  await endStreams(account.id);
  await rememberBrowser({ name: account.name, credentialVersion });
  try {
    // Throws Next's redirect on success, which must propagate.
    await signIn("credentials", {
      name: account.name,
      password,
      redirectTo: `/account?done=${done}`,
    });
  } catch (error) {
    if (error instanceof AuthError)
      return { error: "Done, but signing you in again failed: sign in with your password" };
    throw error;
  }
  return {};
}

/**
 * Tells every instance to refuse the account's older sessions, then ends its streams. Best
 * effort: when the provider cannot answer, the other instances learn of the change within 30 s,
 * and refused heartbeats end the streams.
 */
async function endStreams(userId: string): Promise<void> {
  try {
    const { serverEvents } = await getAppServices();
    await announceCredentialChange(serverEvents, userId);
    const ended = await endStreamsOf(serverEvents, userId);
    logger.info({ event: "account_streams_ended", userId, ended }, "the account's streams ended");
  } catch (error) {
    logger.warn({ err: error, userId }, "could not end the account's streams");
  }
}
