"use client";

import type { QueryClient, QueryKey } from "@tanstack/react-query";
import { z } from "zod";
import { atMostEvery } from "@/lib/browser/at-most-every";
import { parseList } from "@/lib/browser/frame-body";
import { getJson } from "./json-fetch";

/**
 * Who is in a channel, as both demos show it: the schemas of `/event-subscribers` items and
 * presence bodies, the fetch, and the per-person merge.
 */

const id = z.string().min(1).max(200);
const name = z.string().min(1).max(100);

/**
 * An avatar: an inline image or an http(s)/same-site URL. An `<img>` never runs script, but a
 * `javascript:` or `blob:` source has no business in a profile either.
 */
export const imageUrlSchema = z
  .string()
  .max(8_000)
  .refine(
    (url) =>
      /^data:image\/(?:svg\+xml|png|jpeg|gif|webp)[;,]/iu.test(url) ||
      /^https?:\/\//iu.test(url) ||
      (url.startsWith("/") && !url.startsWith("//") && !url.startsWith("/\\")),
    "profileUrl must be an image data URL or an http(s) URL",
  );

/** A subscriber's public Meta: a presence frame's body, and each item of `/event-subscribers`. */
export const subscriberMetaSchema = z.object({
  userId: id,
  displayName: name,
  profileUrl: imageUrlSchema,
  channels: z.string().max(10_000),
  isAuthenticated: z.string().max(10).optional(),
  createdAt: z.string().max(40).optional(),
});

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

/** The members of `channel`; entries that do not fit the schema are left out. */
export async function getSubscribers(channel: string): Promise<SubscriberMeta[]> {
  const data = await getJson(`/event-subscribers?channels=${encodeURIComponent(channel)}`);
  return parseList(subscriberMetaSchema, data, "event-subscribers");
}

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

/** Presence refetches per list: a flood of joins and leaves costs one request per interval. */
const PRESENCE_REFETCH_INTERVAL_MS = 2000;
const presenceRefetches = new WeakMap<QueryClient, Map<string, () => void>>();

/**
 * {@link refetchFresh} for what presence frames ask: the cache is already adjusted from the frame,
 * so the list is only settled against the server, at most once every two seconds (the last call
 * in an interval runs at its end). Anyone can open and drop streams: refetching on every frame let
 * a script make each viewer's every tab fetch the member list 40 times a second.
 */
export function refetchSoon(queryClient: QueryClient, queryKey: QueryKey): void {
  let byKey = presenceRefetches.get(queryClient);
  if (!byKey) presenceRefetches.set(queryClient, (byKey = new Map<string, () => void>()));
  const id = JSON.stringify(queryKey);
  let refetch = byKey.get(id);
  if (!refetch) {
    refetch = atMostEvery(
      () => void refetchFresh(queryClient, queryKey),
      PRESENCE_REFETCH_INTERVAL_MS,
    );
    byKey.set(id, refetch);
  }
  refetch();
}
