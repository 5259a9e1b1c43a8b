"use server";

import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { AuthError } from "next-auth";
import type { z } from "zod";
import { signIn, signOut } from "@/auth";
import { createUser, ReservedUserNameError, UserNameTakenError } from "@/db/auth-store";
import { getAuthThrottles } from "@/db/auth-attempts";
import { tooManyFailedSignInsMessage, tooManySignUpsMessage } from "@/lib/auth/auth-throttle";
import { TooManyAttempts } from "@/lib/auth/authorize-credentials";
import { clientAddress } from "@/lib/server-events";
import { signUpSchema } from "@/lib/auth/credentials-schema";
import { isHttpsSite } from "@/lib/auth/request-scheme";
import { safeRedirectPath } from "@/lib/auth/safe-redirect";
import { formFields } from "@/lib/next/form-fields";
import { createGuestCookieValue, guestCookie, readGuest } from "@/lib/next/guest-cookie";

export interface AuthFormState {
  error?: string;
  fieldErrors?: Partial<Record<"name" | "password", string>>;
  name?: string;
}

const WRONG_CREDENTIALS = "Wrong name or password";

function fieldErrors(error: z.ZodError): AuthFormState["fieldErrors"] {
  const errors: AuthFormState["fieldErrors"] = {};
  for (const issue of error.issues) {
    const field = issue.path[0];
    if ((field === "name" || field === "password") && !errors[field]) errors[field] = issue.message;
  }
  return errors;
}

async function signInOrError(name: string, password: string, next: string) {
  try {
    // Throws Next's redirect on success, which must propagate.
    await signIn("credentials", { name, password, redirectTo: next });
  } catch (error) {
    if (error instanceof TooManyAttempts)
      return { error: tooManyFailedSignInsMessage(error.retryAfterMs), name };
    if (error instanceof AuthError) return { error: WRONG_CREDENTIALS, name };
    throw error;
  }
  return {};
}

/** Every rule (format, throttling, the password) is checked in `authorize`, for the API route too. */
export async function signInAction(_: AuthFormState, formData: FormData): Promise<AuthFormState> {
  const form = formFields(formData);
  const name = form.text("name");
  return signInOrError(name, form.text("password"), safeRedirectPath(form.entry("next")));
}

export async function signUpAction(_: AuthFormState, formData: FormData): Promise<AuthFormState> {
  const form = formFields(formData);
  const name = form.text("name");
  const parsed = signUpSchema.safeParse({ name, password: form.entry("password") });
  if (!parsed.success) return { fieldErrors: fieldErrors(parsed.error), name };
  const address = clientAddress(await headers());
  // Counted before the account is made, so that sign-ups sent at once cannot all pass; taken
  // back when none is made, so retrying a taken name costs nothing.
  const signUp = await getAuthThrottles().signUp.begin(address);
  if (!signUp.allowed) return { error: tooManySignUpsMessage(signUp.retryAfterMs), name };
  try {
    await createUser(parsed.data.name, parsed.data.password);
  } catch (error) {
    await signUp.forgive();
    if (error instanceof UserNameTakenError)
      return { fieldErrors: { name: "That name is taken" }, name };
    if (error instanceof ReservedUserNameError)
      return { fieldErrors: { name: "Names like user12 are kept for guests" }, name };
    throw error;
  }
  return signInOrError(
    parsed.data.name,
    parsed.data.password,
    safeRedirectPath(form.entry("next")),
  );
}

/** Guests stay anonymous (`userN`) but keep one identity per browser, from a signed cookie. */
export async function continueAsGuestAction(formData: FormData): Promise<void> {
  const requestHeaders = await headers();
  const isHttps = isHttpsSite(requestHeaders);
  // As every reader sees it: two guest cookies naming different guests prove none.
  if (readGuest(requestHeaders.get("cookie"), isHttps) === undefined) {
    const { name, value, options } = guestCookie(createGuestCookieValue(), isHttps);
    (await cookies()).set(name, value, options);
  }
  redirect(safeRedirectPath(formFields(formData).entry("next")));
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/" });
}
