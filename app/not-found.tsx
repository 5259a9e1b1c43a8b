import Link from "next/link";
import { DemoLink } from "./_components/demo-link";
import { NoticePage } from "./_components/notice-page";

/** Any path the app does not have (a mistyped address, an old link), with a 404. */
export default function NotFound() {
  return (
    <NoticePage status="404" statusClassName="text-indigo-600" title="There is no page here">
      <p className="mt-2 text-sm text-slate-600">
        The address may be mistyped, or the page has moved. The demos are a click away.
      </p>
      <div className="mt-4 flex justify-center gap-2">
        <DemoLink
          href="/chat"
          className="rounded-xl bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-500"
        >
          Open the chat
        </DemoLink>
        <Link
          href="/"
          className="rounded-xl border border-slate-300 px-4 py-2 font-medium text-slate-700 hover:bg-slate-50"
        >
          Start page
        </Link>
      </div>
    </NoticePage>
  );
}
