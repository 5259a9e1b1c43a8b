"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { AuthError } from "next-auth";
import { currentSession, recognizeBrowser, signIn } from "@/auth";
import { verifyUser } from "@/db/auth-store";
import { getAuthThrottles } from "@/db/auth-attempts";
import { replacePassword } from "@/db/credential-versions";
import { changePassword, type ChangePasswordRefusal } from "@/lib/auth/change-password";
import { logger } from "@/lib/next/logger";
import { clientAddress } from "@/lib/server-events";

const text = (value: FormDataEntryValue | null) => (typeof value === "string" ? value : "");

/**
 * Changes the signed-in account's password (lib/auth/change-password.ts), which signs out its
 * other sessions, then signs this browser in again under the new password: a fresh session and a
 * fresh known-browser entry, the ones issued before having stopped counting.
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
  try {
    // Throws Next's redirect on success, which must propagate.
    await signIn("credentials", {
      name,
      password: outcome.newPassword,
      redirectTo: "/account?changed=1",
    });
  } catch (error) {
    if (error instanceof AuthError) redirect(`/signin?next=${encodeURIComponent("/account")}`);
    throw error;
  }
  return {};
}
