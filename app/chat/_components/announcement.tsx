"use client";

import { useEffect } from "react";

/** `/cmd.announce …`: a banner for everyone in the channel, gone after a few seconds. */
export function Announcement({
  announcement,
  onDismiss,
}: {
  announcement: { text: string; key: string } | null;
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
