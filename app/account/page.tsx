import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { currentSession } from "@/auth";
import { avatarUrl } from "@/lib/next/avatars";
import { ChangePasswordForm } from "./_components/change-password-form";
import { SignOutElsewhereForm } from "./_components/sign-out-elsewhere-form";

export const metadata: Metadata = { title: "Your account · Server Events" };

/** What each action says once done (`?done=`): it ended every other session. A Map, so that
 * `?done=__proto__` or `?done=constructor` finds nothing rather than an object's own members. */
const doneMessages = new Map([
  ["password", "Password changed. Your other browsers and devices are signed out."],
  ["signed-out", "Your other browsers and devices are signed out."],
]);

/** The signed-in account: who you are, a new password, and signing out everywhere else. */
export default async function AccountPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const session = await currentSession();
  if (!session?.user) redirect(`/signin?next=${encodeURIComponent("/account")}`);
  const { name, role } = session.user;
  const { done } = await searchParams;
  const doneMessage = typeof done === "string" ? doneMessages.get(done) : undefined;
  return (
    <main className="flex flex-1 items-start justify-center px-4 py-12 sm:py-20">
      <div className="w-full max-w-sm">
        <div className="flex items-center gap-3">
          {/* eslint-disable-next-line @next/next/no-img-element -- inline SVG data URL */}
          <img src={avatarUrl(name)} alt="" className="size-12 rounded-full" />
          <div>
            <h1 className="text-2xl font-semibold tracking-tight text-slate-900">{name}</h1>
            <p className="text-sm text-slate-500">{role === "admin" ? "Operator" : "Member"}</p>
          </div>
        </div>
        {doneMessage && (
          <p
            role="status"
            className="mt-6 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800"
          >
            {doneMessage}
          </p>
        )}
        <section className="mt-6 rounded-2xl border border-slate-200 bg-white p-6 shadow-sm">
          <h2 className="font-semibold text-slate-900">Change password</h2>
          <p className="mt-1 mb-4 text-sm text-slate-500">
            A new password signs you out of every other browser and device.
          </p>
          <ChangePasswordForm userName={name} />
        </section>
        <section className="mt-6 rounded-2xl border border-slate-200 bg-white p-6 shadow-sm">
          <h2 className="font-semibold text-slate-900">Sign out everywhere else</h2>
          <p className="mt-1 mb-4 text-sm text-slate-500">
            Keeps your password, and this browser signed in.
          </p>
          <SignOutElsewhereForm userName={name} />
        </section>
      </div>
    </main>
  );
}
