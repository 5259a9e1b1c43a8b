import Link from "next/link";

/** What `forbidden()` renders, with a 403: signed in, but not allowed here. */
export default function Forbidden() {
  return (
    <main className="mx-auto mt-16 max-w-md rounded-2xl border border-slate-200 bg-white p-6 text-center shadow-sm">
      <p className="text-sm font-semibold text-rose-600">403</p>
      <h1 className="mt-1 text-lg font-semibold">This page is for admins</h1>
      <p className="mt-2 text-sm text-slate-600">
        Your account does not have the admin role. Operators are listed in the server&apos;s
        ADMIN_USERS setting.
      </p>
      <Link
        href="/"
        className="mt-4 inline-block rounded-xl bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-500"
      >
        Back to the start page
      </Link>
    </main>
  );
}
