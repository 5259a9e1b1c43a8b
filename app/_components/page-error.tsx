"use client";

import { useEffect } from "react";

/**
 * What a demo page's `error.tsx` shows when the page failed to render: the nav stays, the page
 * says what broke, and "Try again" renders it afresh. `logTag` prefixes the console line.
 */
export function PageError({
  error,
  retry,
  title,
  detail,
  logTag,
}: {
  error: unknown;
  retry: () => void;
  title: string;
  detail: string;
  logTag: string;
}) {
  useEffect(() => {
    console.error(`[${logTag}] the page failed to render`, error);
  }, [error, logTag]);
  return (
    <main
      role="alert"
      className="mx-auto mt-16 w-[calc(100%-2rem)] max-w-md rounded-2xl border border-rose-200 bg-white p-6 text-center shadow-sm"
    >
      <h1 className="text-lg font-semibold">{title}</h1>
      <p className="mt-2 text-sm text-slate-600">{detail}</p>
      <button
        type="button"
        onClick={retry}
        className="mt-4 rounded-xl bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-500"
      >
        Try again
      </button>
    </main>
  );
}
