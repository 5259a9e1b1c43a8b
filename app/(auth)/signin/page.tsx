import type { SearchParams } from "../_components/auth-card";
import type { Metadata } from "next";
import { signInAction } from "../actions";
import { AuthCard, readNext } from "../_components/auth-card";
import { AuthForm } from "../_components/auth-form";

export const metadata: Metadata = { title: "Sign in · Server Events" };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<SearchParams>;
}) {
  const next = await readNext(searchParams);
  return (
    <AuthCard title="Sign in" subtitle="Chat and draw as yourself, in every tab." next={next}>
      <AuthForm mode="signin" action={signInAction} next={next} />
    </AuthCard>
  );
}
