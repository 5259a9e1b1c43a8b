import Link from "next/link";

/** Any path the app does not have (a mistyped address, an old link), with a 404. */
export default function NotFound() {
  return (
    <main className="mx-auto mt-16 max-w-md rounded-2xl border border-slate-200 bg-white p-6 text-center shadow-sm">
      <p className="text-sm font-semibold text-indigo-600">404</p>
      <h1 className="mt-1 text-lg font-semibold">There is no page here</h1>
      <p className="mt-2 text-sm text-slate-600">
        The address may be mistyped, or the page has moved. The demos are a click away.
      </p>
      <div className="mt-4 flex justify-center gap-2">
        <Link
          href="/chat"
          className="rounded-xl bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-500"
        >
          Open the chat
        </Link>
        <Link
          href="/"
          className="rounded-xl border border-slate-300 px-4 py-2 font-medium text-slate-700 hover:bg-slate-50"
        >
          Start page
        </Link>
      </div>
    </main>
  );
}
