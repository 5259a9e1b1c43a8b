"use client";

import { useState } from "react";
import { CHANNEL_NAME_RULE } from "./channel-name";

/** Names from `?channels=` that are not channel names: say which were left out, and why. */
export function DroppedChannelsNotice({ dropped }: { dropped: readonly string[] }) {
  const [isDismissed, setDismissed] = useState(false);
  if (dropped.length === 0 || isDismissed) return null;
  const names = dropped
    .slice(0, 5)
    .map((name) => `“${name.length > 40 ? `${name.slice(0, 40)}…` : name}”`)
    .join(", ");
  const more = dropped.length > 5 ? ` and ${dropped.length - 5} more` : "";
  return (
    <div
      role="status"
      data-testid="dropped-channels"
      className="flex items-start gap-3 border-b border-amber-200 bg-amber-50 px-4 py-2 text-sm text-amber-900"
    >
      <p className="min-w-0 flex-1 break-words">
        Left out {names}
        {more} from the link: not channel names. {CHANNEL_NAME_RULE}
      </p>
      <button
        type="button"
        onClick={() => setDismissed(true)}
        aria-label="Dismiss"
        className="rounded px-1.5 text-amber-700 hover:bg-amber-100"
      >
        ×
      </button>
    </div>
  );
}
