"use client";

import Link from "next/link";
import { FormAlert, SubmitButton } from "@/app/_components/form-footer";
import { FormField as Field } from "@/app/_components/form-field";
import { useFormAction } from "@/app/_components/use-form-action";
import {
  PASSWORD_RULE,
  passwordSchema,
  USER_NAME_RULE,
  userNameSchema,
} from "@/lib/auth/credentials-schema";
import type { AuthFormState } from "../actions";

interface AuthFormProps {
  mode: "signin" | "signup";
  action: (state: AuthFormState, formData: FormData) => Promise<AuthFormState>;
  next: string;
}

const copy = {
  signin: { title: "Welcome back", submit: "Sign in", busy: "Signing in…" },
  signup: { title: "Create your account", submit: "Create account", busy: "Creating…" },
};

export function AuthForm({ mode, action, next }: AuthFormProps) {
  const [state, formAction, pending] = useFormAction<AuthFormState>(action, {});
  const text = copy[mode];
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <input type="hidden" name="next" value={next} />
      {/* A sign-up states its rules and checks them as you go; a sign-in never explains them. */}
      <Field
        key={`name-${state.attempt}`}
        label="Name"
        name="name"
        autoComplete="username"
        defaultValue={state.name}
        error={state.fieldErrors?.name}
        {...(mode === "signup" ? { hint: USER_NAME_RULE, schema: userNameSchema } : {})}
      />
      <Field
        key={`password-${state.attempt}`}
        label="Password"
        name="password"
        type="password"
        autoComplete={mode === "signup" ? "new-password" : "current-password"}
        error={state.fieldErrors?.password}
        {...(mode === "signup" ? { hint: PASSWORD_RULE, schema: passwordSchema } : {})}
      />
      <FormAlert message={state.error} />
      <SubmitButton pending={pending} label={text.submit} busy={text.busy} />
      <p className="text-center text-sm text-slate-500">
        {mode === "signin" ? "New here? " : "Already have an account? "}
        <Link
          href={`/${mode === "signin" ? "signup" : "signin"}?next=${encodeURIComponent(next)}`}
          className="font-medium text-indigo-600 hover:underline"
        >
          {mode === "signin" ? "Create an account" : "Sign in"}
        </Link>
      </p>
    </form>
  );
}
