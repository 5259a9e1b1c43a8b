"use client";

import { useState } from "react";
import type { LogEntry } from "./use-chat-events";
import { viewOf, type ViewKey } from "./chat-views";

/**
 * Chat messages that arrived in other views (channels and direct conversations) since each was
 * last shown; your own messages never count. Each view remembers the key of the newest entry it
 * showed, not a position: the log keeps its newest 500 entries, so positions stop growing.
 */
export function useUnread(
  entries: readonly LogEntry[],
  selected: ViewKey,
  myUserId: string,
): Readonly<Record<ViewKey, number>> {
  const [readUpTo, setReadUpTo] = useState<Record<ViewKey, string>>({});
  const newest = entries.at(-1)?.key ?? "";
  // Adjusting state while rendering (not in an effect) avoids a second commit.
  if (readUpTo[selected] !== newest) setReadUpTo((marks) => ({ ...marks, [selected]: newest }));
  return countUnread(entries, selected, myUserId, readUpTo);
}

/** What {@link useUnread} shows, given the key of the newest entry each view last showed. */
export function countUnread(
  entries: readonly LogEntry[],
  selected: ViewKey,
  myUserId: string,
  readUpTo: Readonly<Record<ViewKey, string>>,
): Record<ViewKey, number> {
  const positions = new Map(entries.map((entry, index) => [entry.key, index]));
  // A mark no longer in the log was dropped off its old end: everything still there is newer.
  const firstUnread = (view: ViewKey) => (positions.get(readUpTo[view] ?? "") ?? -1) + 1;
  const unread: Record<ViewKey, number> = {};
  entries.forEach((entry, index) => {
    if (entry.kind !== "chat" || entry.message.fromUserId === myUserId) return;
    const view = viewOf(entry, myUserId);
    if (view === null || view === selected) return;
    if (index >= firstUnread(view)) unread[view] = (unread[view] ?? 0) + 1;
  });
  return unread;
}
