"use client";

import { useEffect } from "react";

/** If a canvas fails to render, the page says so and "Try again" renders it afresh. */
export default function ShapesError({ error, retry }: { error: unknown; retry: () => void }) {
  useEffect(() => {
    console.error("[shapes] the page failed to render", error);
  }, [error]);
  return (
    <main
      role="alert"
      className="mx-auto mt-16 max-w-md rounded-2xl border border-rose-200 bg-white p-6 text-center shadow-sm"
    >
      <h1 className="text-lg font-semibold">Shapes hit a snag</h1>
      <p className="mt-2 text-sm text-slate-600">A drawing could not be shown.</p>
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
