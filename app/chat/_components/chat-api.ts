"use client";

import { useQueries, type QueryClient } from "@tanstack/react-query";
import { parseList } from "@/lib/browser/frame-body";
import type { ChatMessage } from "@/app/_server/chat-history";
import { getJson } from "@/app/_components/json-fetch";
import {
  getSubscribers,
  mergeUsers,
  subscribersKey,
  type ChannelUser,
  type SubscriberMeta,
} from "@/app/_components/presence";
import { chatMessageSchema } from "./chat-messages";

export type { ChatMessage };

/**
 * A chat message's identity. Ids come from the provider's sequence, which the in-memory provider
 * restarts at 1 with the server, so a page that lived through a restart can hold two messages with
 * the same id; the time they were posted tells them apart (history and live copies share both).
 */
export const messageKey = (message: Pick<ChatMessage, "id" | "createdAt">): string =>
  `m${message.id}-${message.createdAt}`;

export const historyKey = (channel: string) => ["chat-history", channel] as const;

/** Applies a join (+1) or leave (−1) to a channel's cached user list. */
export function applyPresence(
  queryClient: QueryClient,
  channel: string,
  meta: SubscriberMeta,
  delta: 1 | -1,
): void {
  queryClient.setQueryData<ChannelUser[]>(subscribersKey(channel), (users) => {
    if (!users) return users;
    const existing = users.find((u) => u.userId === meta.userId);
    if (!existing) return delta > 0 ? mergeUsers([meta]).concat(users) : users;
    const count = existing.count + delta;
    return count <= 0
      ? users.filter((u) => u.userId !== meta.userId)
      : users.map((u) => (u.userId === meta.userId ? { ...u, count } : u));
  });
}

/** Recent history and the live user list of each channel. */
export function useChannelData(channels: readonly string[]) {
  const history = useQueries({
    queries: channels.map((channel) => ({
      queryKey: historyKey(channel),
      // History holds what anyone posted: each message is checked like a live one.
      queryFn: async () =>
        parseList(
          chatMessageSchema,
          await getJson(`/channels/${encodeURIComponent(channel)}/messages?limit=50`),
          "chat history",
        ),
    })),
  });
  const subscribers = useQueries({
    queries: channels.map((channel) => ({
      queryKey: subscribersKey(channel),
      queryFn: async () => mergeUsers(await getSubscribers(channel)),
    })),
  });
  return {
    historyOf: (channel: string) => history[channels.indexOf(channel)]?.data ?? [],
    usersOf: (channel: string) => subscribers[channels.indexOf(channel)]?.data ?? [],
  };
}
