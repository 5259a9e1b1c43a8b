"use client";

import { useEffect } from "react";

/**
 * The chat's last line of defence: whatever a message managed to break, this replaces the page
 * (not the whole app: the nav stays) and "Try again" renders it afresh.
 */
export default function ChatError({ error, retry }: { error: unknown; retry: () => void }) {
  useEffect(() => {
    console.error("[chat] the page failed to render", error);
  }, [error]);
  return (
    <main
      role="alert"
      className="mx-auto mt-16 max-w-md rounded-2xl border border-rose-200 bg-white p-6 text-center shadow-sm"
    >
      <h1 className="text-lg font-semibold">The chat hit a snag</h1>
      <p className="mt-2 text-sm text-slate-600">
        Something in the conversation could not be shown. Your messages are safe on the server.
      </p>
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
