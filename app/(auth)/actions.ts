"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { AuthError } from "next-auth";
import { z } from "zod";
import { passwordSchema, signIn, signOut, userNameSchema } from "@/auth";
import { createUser, UserNameTakenError } from "@/db/auth-store";
import { GUEST_COOKIE } from "@/lib/next/identity";

export interface AuthFormState {
  error?: string;
  fieldErrors?: Partial<Record<"name" | "password", string>>;
  name?: string;
}

/** Only same-site paths: an open redirect would let a link send people elsewhere after sign-in. */
function safeNext(value: FormDataEntryValue | null): string {
  const next = typeof value === "string" ? value : "";
  return next.startsWith("/") && !next.startsWith("//") ? next : "/chat";
}

const formSchema = z.object({ name: userNameSchema, password: passwordSchema });

function parseForm(formData: FormData) {
  return formSchema.safeParse({ name: formData.get("name"), password: formData.get("password") });
}

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
    if (error instanceof AuthError) return { error: "Wrong name or password", name };
    throw error;
  }
  return {};
}

const text = (value: FormDataEntryValue | null) => (typeof value === "string" ? value : "");

export async function signInAction(_: AuthFormState, formData: FormData): Promise<AuthFormState> {
  const name = text(formData.get("name"));
  const parsed = parseForm(formData);
  if (!parsed.success) return { error: "Wrong name or password", name };
  return signInOrError(parsed.data.name, parsed.data.password, safeNext(formData.get("next")));
}

export async function signUpAction(_: AuthFormState, formData: FormData): Promise<AuthFormState> {
  const name = text(formData.get("name"));
  const parsed = parseForm(formData);
  if (!parsed.success) return { fieldErrors: fieldErrors(parsed.error), name };
  try {
    await createUser(parsed.data.name, parsed.data.password);
  } catch (error) {
    if (error instanceof UserNameTakenError)
      return { fieldErrors: { name: "That name is taken" }, name };
    throw error;
  }
  return signInOrError(parsed.data.name, parsed.data.password, safeNext(formData.get("next")));
}

/** Guests stay anonymous (`userN`) but get a session id, so messages can target their session. */
export async function continueAsGuestAction(formData: FormData): Promise<void> {
  const jar = await cookies();
  if (!jar.get(GUEST_COOKIE)) {
    jar.set(GUEST_COOKIE, crypto.randomUUID().replaceAll("-", ""), {
      httpOnly: true,
      sameSite: "lax",
      path: "/",
      maxAge: 60 * 60 * 24 * 30,
    });
  }
  redirect(safeNext(formData.get("next")));
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/" });
}
