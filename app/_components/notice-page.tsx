import type { ReactNode } from "react";

/** A page that only says where you are and why (a 403, a 404), in one centred card. */
export function NoticePage({
  status,
  statusClassName,
  title,
  children,
}: {
  status: string;
  /** The status line's colour: red for a refusal, indigo for a page that is not there. */
  statusClassName: string;
  title: string;
  /** The explanation, then the way on. */
  children: ReactNode;
}) {
  return (
    <main className="mx-auto mt-16 w-[calc(100%-2rem)] max-w-md rounded-2xl border border-slate-200 bg-white p-6 text-center shadow-sm">
      <p className={`text-sm font-semibold ${statusClassName}`}>{status}</p>
      <h1 className="mt-1 text-lg font-semibold">{title}</h1>
      {children}
    </main>
  );
}
