"use client";

import { useQueries, useQueryClient, type QueryClient, type QueryKey } from "@tanstack/react-query";
import type { z } from "zod";
import { parseList } from "@/lib/browser/frame-body";
import type { ChatMessage } from "@/app/_server/chat-history";
import { chatMessageSchema, subscriberMetaSchema } from "./chat-messages";

/** A subscriber's public Meta, as `/event-subscribers` and onJoin/onLeave carry it. */
export type SubscriberMeta = z.infer<typeof subscriberMetaSchema>;

/** One person in a channel: their subscriptions (tabs, browsers) merged, with a count. */
export interface ChannelUser {
  userId: string;
  displayName: string;
  profileUrl: string;
  isAuthenticated: boolean;
  count: number;
}

export type { ChatMessage };

async function getJson(url: string): Promise<unknown> {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
  return (await response.json()) as unknown;
}

/** The members of `channel`; entries that do not fit the schema are left out. */
export async function getSubscribers(channel: string): Promise<SubscriberMeta[]> {
  const data = await getJson(`/event-subscribers?channels=${encodeURIComponent(channel)}`);
  return parseList(subscriberMetaSchema, data, "event-subscribers");
}

/** POSTs JSON; rejects with the server's message on 4xx/5xx. */
export async function postJson<T>(url: string, body: unknown): Promise<T> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) {
    const error = (await response.json().catch(() => null)) as {
      responseStatus?: { message?: string };
    } | null;
    throw new Error(error?.responseStatus?.message ?? `${response.status} ${response.statusText}`);
  }
  return (await response.json()) as T;
}

/**
 * A chat message's identity. Ids come from the provider's sequence, which the in-memory provider
 * restarts at 1 with the server, so a page that lived through a restart can hold two messages with
 * the same id; the time they were posted tells them apart (history and live copies share both).
 */
export const messageKey = (message: Pick<ChatMessage, "id" | "createdAt">): string =>
  `m${message.id}-${message.createdAt}`;

export const historyKey = (channel: string) => ["chat-history", channel] as const;
export const subscribersKey = (channel: string) => ["subscribers", channel] as const;

/** Merges subscriptions per user, counting how many each user has open. */
export function mergeUsers(metas: readonly SubscriberMeta[]): ChannelUser[] {
  const byId = new Map<string, ChannelUser>();
  for (const meta of metas) {
    const existing = byId.get(meta.userId);
    if (existing) existing.count += 1;
    else
      byId.set(meta.userId, {
        userId: meta.userId,
        displayName: meta.displayName,
        profileUrl: meta.profileUrl,
        isAuthenticated: String(meta.isAuthenticated) === "true",
        count: 1,
      });
  }
  return [...byId.values()].sort((a, b) => a.displayName.localeCompare(b.displayName));
}

/**
 * Refetches with a request that starts now. `invalidateQueries` alone joins a first load that is
 * still in flight (react-query only cancels a running fetch once there is data), and that request
 * may have been answered before the change we were told about: a user list loaded just before our
 * own subscription existed would stay empty.
 */
export async function refetchFresh(queryClient: QueryClient, queryKey: QueryKey): Promise<void> {
  await queryClient.cancelQueries({ queryKey });
  await queryClient.invalidateQueries({ queryKey });
}

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

export { useQueryClient };
