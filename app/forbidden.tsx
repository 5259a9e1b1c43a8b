import Link from "next/link";
import { NoticePage } from "./_components/notice-page";

/** What `forbidden()` renders, with a 403: signed in, but not allowed here. */
export default function Forbidden() {
  return (
    <NoticePage status="403" statusClassName="text-rose-600" title="This page is for admins">
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
    </NoticePage>
  );
}
