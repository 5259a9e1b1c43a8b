import Link from "next/link";
import { headers } from "next/headers";
import { currentSession } from "@/auth";
import { readGuest } from "@/lib/next/guest-cookie";
import { isHttpsSite } from "@/lib/auth/request-scheme";
import { signOutAction } from "@/app/(auth)/actions";
import { ADMIN_ROLE } from "@/lib/auth/admin-users";
import { avatarUrl } from "@/lib/next/avatars";
import { NavLinks } from "./nav-links";
import { SameUserInEveryTab } from "./same-user-in-every-tab";

export async function Nav() {
  const session = await currentSession();
  const user = session?.user;
  // A guest is named by their cookie (set by proxy.ts on their first visit to a demo).
  const requestHeaders = await headers();
  const guest = user
    ? undefined
    : readGuest(requestHeaders.get("cookie"), isHttpsSite(requestHeaders));
  return (
    <header className="sticky top-0 z-30 border-b border-slate-200 bg-white/90 backdrop-blur">
      <nav className="flex h-14 items-center gap-2 px-3 min-[360px]:px-4 sm:gap-3">
        <Link href="/" className="flex items-center gap-2 font-semibold tracking-tight">
          <span className="grid size-7 place-items-center rounded-lg bg-indigo-600 text-xs text-white">
            SE
          </span>
          <span className="hidden sm:inline">Server Events</span>
        </Link>
        <NavLinks isAdmin={user?.role === ADMIN_ROLE} />
        <div className="ml-auto flex shrink-0 items-center gap-1.5 sm:gap-2">
          {user ? (
            <>
              <Link
                href="/account"
                title="Your account"
                aria-label={`${user.name}: your account`}
                className="flex items-center gap-2 rounded-md px-1 py-1 hover:bg-slate-100"
              >
                {/* eslint-disable-next-line @next/next/no-img-element -- inline SVG data URL */}
                <img src={avatarUrl(user.name)} alt="" className="size-7 rounded-full" />
                <span className="hidden text-sm font-medium sm:inline" data-testid="nav-user">
                  {user.name}
                </span>
              </Link>
              <form action={signOutAction}>
                <button
                  type="submit"
                  className="rounded-md px-2 py-1.5 text-sm whitespace-nowrap text-slate-600 hover:bg-slate-100 hover:text-slate-900 sm:px-2.5"
                >
                  Sign out
                </button>
              </form>
            </>
          ) : (
            <>
              {guest && (
                <span
                  className="hidden items-center gap-2 min-[360px]:flex"
                  title={`${guest.displayName} (guest)`}
                >
                  {/* eslint-disable-next-line @next/next/no-img-element -- inline SVG data URL */}
                  <img src={avatarUrl(guest.displayName)} alt="" className="size-7 rounded-full" />
                  <span className="hidden text-sm font-medium sm:inline" data-testid="nav-guest">
                    {guest.displayName}
                  </span>
                </span>
              )}
              <Link
                href="/signin"
                className="rounded-md px-2 py-1.5 text-sm whitespace-nowrap text-slate-600 hover:bg-slate-100 hover:text-slate-900 sm:px-2.5"
              >
                Sign in
              </Link>
              <Link
                href="/signup"
                className="rounded-md bg-indigo-600 px-2.5 py-1.5 text-sm font-medium whitespace-nowrap text-white hover:bg-indigo-500 sm:px-3"
              >
                Sign up
              </Link>
            </>
          )}
        </div>
      </nav>
      <SameUserInEveryTab userKey={user?.id ?? guest?.userId ?? "anonymous"} />
    </header>
  );
}
