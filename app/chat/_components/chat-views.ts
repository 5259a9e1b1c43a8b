import { messageKey, type ChatMessage } from "./chat-api";
import type { LogEntry } from "./use-chat-events";

/**
 * What the log shows: one channel's messages, or a direct conversation with one person. A view is
 * named by a key: the channel's name, or `@` and the other person's user id (channel names can
 * never contain `@`, so the two cannot collide).
 */
export type ViewKey = string;

export const conversationKey = (peerUserId: string): ViewKey => `@${peerUserId}`;
export const isConversation = (view: ViewKey): boolean => view.startsWith("@");
export const peerOf = (view: ViewKey): string => view.slice(1);

/** The other person in a private message (yourself for a note sent with `@me`). */
export function peerUserId(message: ChatMessage, myUserId: string): string {
  return message.fromUserId === myUserId ? (message.toUserId ?? myUserId) : message.fromUserId;
}

/** The view a log entry belongs to: private messages to their conversation, never a channel. */
export function viewOf(entry: LogEntry, myUserId: string): ViewKey | null {
  if (entry.kind !== "chat") return entry.channel;
  return entry.message.private
    ? conversationKey(peerUserId(entry.message, myUserId))
    : entry.channel;
}

/** A direct conversation: who with, and the name to show. */
export interface Conversation {
  key: ViewKey;
  peerUserId: string;
  name: string;
}

/** Everyone you exchanged private messages with, in the order they first wrote or were written. */
export function conversationsOf(entries: readonly LogEntry[], myUserId: string): Conversation[] {
  const byPeer = new Map<string, Conversation>();
  for (const entry of entries) {
    if (entry.kind !== "chat" || !entry.message.private) continue;
    const { message } = entry;
    const peer = peerUserId(message, myUserId);
    const name =
      peer === myUserId
        ? "me"
        : message.fromUserId === peer
          ? message.displayName
          : (message.toName ?? byPeer.get(peer)?.name ?? peer);
    byPeer.set(peer, { key: conversationKey(peer), peerUserId: peer, name });
  }
  return [...byPeer.values()];
}

/** Conversations with messages first, then ones opened by hand that have none yet. */
export function mergeConversations(
  a: readonly Conversation[],
  b: readonly Conversation[],
): Conversation[] {
  const keys = new Set(a.map((c) => c.key));
  return [...a, ...b.filter((c) => !keys.has(c.key))];
}

/**
 * The entries of one view: a channel's history first, then live entries not already in it;
 * a conversation's private messages. A message seen twice (history and live, or the copy the
 * server answered with and its echo) is shown once.
 */
export function entriesOf(
  view: ViewKey,
  history: readonly ChatMessage[],
  live: readonly LogEntry[],
  myUserId: string,
): LogEntry[] {
  const seen = new Set<string>();
  const entries: LogEntry[] = [];
  if (!isConversation(view))
    for (const message of history) {
      seen.add(messageKey(message));
      entries.push({ kind: "chat", key: messageKey(message), channel: message.channel, message });
    }
  for (const entry of live) {
    if (entry.kind === "chat") {
      if (seen.has(entry.key) || viewOf(entry, myUserId) !== view) continue;
      seen.add(entry.key);
    } else if (entry.channel !== null && entry.channel !== view) continue;
    else if (entry.channel === null && isConversation(view)) continue;
    entries.push(entry);
  }
  return entries;
}

/** A copy of a private message you sent reads "@bob: hi" (ServiceStack's echo); the view says who. */
export function withoutEchoPrefix(message: ChatMessage): string {
  const prefix = message.toName === undefined ? undefined : `@${message.toName}: `;
  return prefix && message.message.startsWith(prefix)
    ? message.message.slice(prefix.length)
    : message.message;
}
