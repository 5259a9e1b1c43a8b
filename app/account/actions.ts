"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { AuthError } from "next-auth";
import { currentSession, recognizeBrowser, rememberBrowser, signIn } from "@/auth";
import { getAppServices } from "@/app/_server/app-services";
import { verifyUser } from "@/db/auth-store";
import { getAuthThrottles } from "@/db/auth-attempts";
import { replacePassword } from "@/db/credential-versions";
import { changePassword, type ChangePasswordRefusal } from "@/lib/auth/change-password";
import { logger } from "@/lib/next/logger";
import { clientAddress } from "@/lib/server-events";
import { endOtherStreams } from "./_server/end-other-streams";

const text = (value: FormDataEntryValue | null) => (typeof value === "string" ? value : "");

/**
 * Changes the signed-in account's password (lib/auth/change-password.ts), which signs out its
 * other sessions and ends their event streams, then signs this browser in again under the new
 * password: a fresh session, and a known-browser entry for the new version set first, so that
 * a lockout someone is running against the name cannot keep the owner out.
 */
export async function changePasswordAction(
  _: ChangePasswordRefusal,
  formData: FormData,
): Promise<ChangePasswordRefusal> {
  const session = await currentSession();
  if (!session?.user) redirect(`/signin?next=${encodeURIComponent("/account")}`);
  const requestHeaders = await headers();
  const { id, name } = session.user;
  const outcome = await changePassword(
    {
      account: { id, name },
      form: {
        currentPassword: text(formData.get("currentPassword")),
        newPassword: text(formData.get("newPassword")),
        confirmPassword: text(formData.get("confirmPassword")),
      },
      address: clientAddress(requestHeaders),
      device: await recognizeBrowser({ headers: requestHeaders }, name),
    },
    { verifyUser, replacePassword, throttle: getAuthThrottles().signIn, log: logger },
  );
  if ("refusal" in outcome) return outcome.refusal;
  await endStreamsOfOtherSessions(id, session.user.sessionId);
  await rememberBrowser({ name, credentialVersion: outcome.credentialVersion });
  try {
    // Throws Next's redirect on success, which must propagate.
    await signIn("credentials", {
      name,
      password: outcome.newPassword,
      redirectTo: "/account?changed=1",
    });
  } catch (error) {
    if (error instanceof AuthError)
      return {
        error: "Your password was changed, but signing you in again failed: sign in with it",
      };
    throw error;
  }
  return {};
}

/** Best effort: when the provider cannot answer, refused heartbeats end the streams instead. */
async function endStreamsOfOtherSessions(userId: string, keep: string): Promise<void> {
  try {
    const { serverEvents } = await getAppServices();
    const ended = await endOtherStreams(serverEvents, userId, keep);
    logger.info(
      { event: "password_changed_streams_ended", userId, ended },
      "other sessions' streams ended",
    );
  } catch (error) {
    logger.warn({ err: error, userId }, "could not end the other sessions' streams");
  }
}
