import type { MonitorSnapshot } from "@/lib/admin/admin-monitor";
import type { ServerEvents, SubscriptionInfo } from "@/lib/server-events";
import type { SubscriptionHandles } from "./subscription-handle";

/** The newest subscriptions the dashboard lists. */
const NEWEST_SUBSCRIPTIONS = 25;

/** A subscription as an operator sees it: who, where, since when — and a handle, never the id. */
export interface SubscriptionRow {
  handle: string;
  displayName: string;
  userId: string;
  isAuthenticated: boolean;
  channels: string[];
  createdAt: number;
  lastPulseAt: number;
}

/** Everything /admin shows on arrival; live reports take over from there. */
export interface AdminOverview extends MonitorSnapshot {
  /** Subscriptions in the whole cluster, from the shared store. */
  subscriptionCount: number;
  newestSubscriptions: SubscriptionRow[];
  /** The server's clock when this was made, for the page's relative times. */
  serverNow: number;
}

export async function buildAdminOverview(
  events: ServerEvents,
  snapshot: MonitorSnapshot,
  handles: SubscriptionHandles,
): Promise<AdminOverview> {
  // Cluster-wide on Postgres and Redis: the store holds every instance's subscriptions.
  const all = await events.getAllSubscriptionInfos();
  const newest = [...all]
    .sort((a, b) => b.createdAt - a.createdAt)
    .slice(0, NEWEST_SUBSCRIPTIONS)
    .map((info) => toRow(info, handles));
  return {
    ...snapshot,
    subscriptionCount: all.length,
    newestSubscriptions: newest,
    serverNow: events.options.now(),
  };
}

function toRow(info: SubscriptionInfo, handles: SubscriptionHandles): SubscriptionRow {
  return {
    handle: handles.handleOf(info.id),
    displayName: info.displayName,
    userId: info.userId,
    isAuthenticated: info.isAuthenticated,
    channels: [...info.channels],
    createdAt: info.createdAt,
    lastPulseAt: info.lastPulseAt,
  };
}
