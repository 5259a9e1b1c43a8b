"use client";

import { useState } from "react";
import type { LogEntry } from "./use-chat-events";
import { viewOf, type ViewKey } from "./chat-views";

/**
 * Chat messages that arrived in other views (channels and direct conversations) since each was
 * last shown; your own messages never count.
 */
export function useUnread(
  entries: readonly LogEntry[],
  selected: ViewKey,
  myUserId: string,
): Readonly<Record<ViewKey, number>> {
  const [readUpTo, setReadUpTo] = useState<Record<ViewKey, number>>({});
  // Adjusting state while rendering (not in an effect) avoids a second commit.
  if (readUpTo[selected] !== entries.length)
    setReadUpTo((marks) => ({ ...marks, [selected]: entries.length }));
  const unread: Record<ViewKey, number> = {};
  entries.forEach((entry, index) => {
    if (entry.kind !== "chat" || entry.message.fromUserId === myUserId) return;
    const view = viewOf(entry, myUserId);
    if (view === null || view === selected) return;
    if (index >= (readUpTo[view] ?? 0)) unread[view] = (unread[view] ?? 0) + 1;
  });
  return unread;
}
