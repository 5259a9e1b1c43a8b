import type { ReactNode } from "react";
import { safeRedirectPath } from "@/lib/auth/safe-redirect";
import { continueAsGuestAction } from "../actions";

/** The frame of the sign-in and sign-up pages, with the "continue as guest" way out. */
export function AuthCard({
  title,
  subtitle,
  next,
  children,
}: {
  title: string;
  subtitle: string;
  next: string;
  children: ReactNode;
}) {
  return (
    <main className="flex flex-1 items-start justify-center px-4 py-12 sm:py-20">
      <div className="w-full max-w-sm">
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">{title}</h1>
        <p className="mt-1 text-sm text-slate-500">{subtitle}</p>
        <div className="mt-6 rounded-2xl border border-slate-200 bg-white p-6 shadow-sm">
          {children}
        </div>
        <form action={continueAsGuestAction} className="mt-4">
          <input type="hidden" name="next" value={next} />
          <button
            type="submit"
            className="w-full rounded-lg border border-slate-300 bg-white px-4 py-2.5 text-sm font-medium text-slate-700 transition hover:bg-slate-50"
          >
            Continue as guest
          </button>
        </form>
      </div>
    </main>
  );
}

/** The page's search params, as Next passes them. */
export type SearchParams = Record<string, string | string[] | undefined>;

/**
 * Where to go after signing in: `?next=` (our links), else `?callbackUrl=` (Auth.js's), kept on
 * this site by safeRedirectPath.
 */
export async function readNext(searchParams: Promise<SearchParams>) {
  const { next, callbackUrl } = await searchParams;
  return safeRedirectPath(next ?? callbackUrl);
}
