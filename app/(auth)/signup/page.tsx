import type { SearchParams } from "../_components/auth-card";
import type { Metadata } from "next";
import { signUpAction } from "../actions";
import { AuthCard, readNext } from "../_components/auth-card";
import { AuthForm } from "../_components/auth-form";

export const metadata: Metadata = { title: "Sign up · Server Events" };

export default async function SignUpPage({
  searchParams,
}: {
  searchParams: Promise<SearchParams>;
}) {
  const next = await readNext(searchParams);
  return (
    <AuthCard title="Create an account" subtitle="Pick a name others will see." next={next}>
      <AuthForm mode="signup" action={signUpAction} next={next} />
    </AuthCard>
  );
}
