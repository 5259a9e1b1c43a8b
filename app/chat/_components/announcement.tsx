"use client";

import { useEffect } from "react";

/** A banner's text; `fromOperators` only for `cmd.operatorNotice`, which only admins can send. */
export interface Announced {
  text: string;
  key: string;
  fromOperators: boolean;
}

/**
 * `/cmd.announce …` and the operators' notices: a banner for everyone in the channel, gone after a
 * few seconds. An operators' notice says so; anyone's announcement looks like what it is.
 */
export function Announcement({
  announcement,
  onDismiss,
}: {
  announcement: Announced | null;
  onDismiss: () => void;
}) {
  useEffect(() => {
    if (!announcement) return;
    const timer = setTimeout(onDismiss, 8000);
    return () => clearTimeout(timer);
  }, [announcement, onDismiss]);
  if (!announcement) return null;
  return (
    <div
      id="announce"
      role="alert"
      // A bar of its own above the log (never over it), at most three lines on a phone.
      className="flex animate-[fadein_.3s_ease-out] items-center justify-center border-b border-indigo-200 bg-gradient-to-r from-indigo-600 to-violet-600 px-4 py-2 text-center text-base font-semibold text-white shadow sm:py-3 sm:text-lg"
    >
      <span data-testid="announcement" className="line-clamp-3 min-w-0 break-words">
        {announcement.fromOperators && (
          <span
            data-testid="operator-notice"
            className="mr-2 rounded bg-white/20 px-1.5 py-0.5 align-middle text-xs font-bold tracking-wide uppercase"
          >
            From the operators
          </span>
        )}
        {announcement.text}
      </span>
      <button
        type="button"
        onClick={onDismiss}
        aria-label="Dismiss announcement"
        className="ml-3 rounded px-1.5 text-white/70 hover:bg-white/10 hover:text-white"
      >
        ×
      </button>
    </div>
  );
}
