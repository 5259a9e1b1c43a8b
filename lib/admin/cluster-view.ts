import { INSTANCE_TIMEOUT_MS, type InstanceReport } from "./admin-channel";

/** The latest report of one instance, and when it arrived (by the reader's clock, not the sender's). */
export interface KnownInstance {
  report: InstanceReport;
  receivedAt: number;
}

/** The latest report per instance id. */
export type InstanceRegistry = ReadonlyMap<string, KnownInstance>;

export interface InstanceRow {
  instanceId: string;
  startedAt: number;
  subscriptions: number;
  /** When its last report arrived: the instance's heartbeat to the cluster. */
  lastReportAt: number;
}

export interface ChannelRow {
  name: string;
  members: number;
  messagesPerSecond: number;
}

export interface ClusterTotals {
  subscriptions: number;
  channels: number;
  messagesPerSecond: number;
  instances: number;
}

export interface ClusterView {
  totals: ClusterTotals;
  /**
   * Some instance has more channels than its report names: `totals.channels` is then a lower
   * bound (the names it did send, or its own count, whichever is more).
   */
  channelsAtLeast: boolean;
  instances: InstanceRow[];
  channels: ChannelRow[];
}

/**
 * The registry with `report` recorded. A report older than the one already known (reordered on
 * the way, or replayed after a reconnect) changes nothing. Returns a new map when anything
 * changed, so React state can hold it.
 */
export function recordReport(
  registry: InstanceRegistry,
  report: InstanceReport,
  receivedAt: number,
): InstanceRegistry {
  const known = registry.get(report.instanceId);
  if (known && known.report.sentAt > report.sentAt) return registry;
  return new Map(registry).set(report.instanceId, { report, receivedAt });
}

/** Instances that reported within `timeoutMs` of `now`; the others have stopped. */
function liveInstances(
  registry: InstanceRegistry,
  now: number,
  timeoutMs = INSTANCE_TIMEOUT_MS,
): KnownInstance[] {
  return [...registry.values()].filter((known) => now - known.receivedAt <= timeoutMs);
}

/**
 * The cluster as the live instances describe it. Subscriptions and members are each instance's
 * own, so they add up. Traffic is not: the bus hands every message to every instance, so each
 * one measured the whole cluster, and adding them would count every message once per instance.
 * The highest measurement wins (an instance that has just started has seen the least).
 */
export function clusterView(
  registry: InstanceRegistry,
  now: number,
  timeoutMs = INSTANCE_TIMEOUT_MS,
): ClusterView {
  const live = liveInstances(registry, now, timeoutMs);
  const channels = new Map<string, ChannelRow>();
  let messagesPerSecond = 0;
  for (const { report } of live) {
    messagesPerSecond = Math.max(messagesPerSecond, report.messagesPerSecond);
    for (const channel of report.channels) {
      const row = channels.get(channel.name) ?? { ...channel, members: 0, messagesPerSecond: 0 };
      row.members += channel.members;
      row.messagesPerSecond = Math.max(row.messagesPerSecond, channel.messagesPerSecond);
      channels.set(channel.name, row);
    }
  }
  const instances = live
    .map(({ report, receivedAt }) => ({
      instanceId: report.instanceId,
      startedAt: report.startedAt,
      subscriptions: report.subscriptions,
      lastReportAt: receivedAt,
    }))
    .sort((a, b) => a.instanceId.localeCompare(b.instanceId));
  const named = [...channels.values()].filter((row) => row.members > 0).length;
  const counted = live.map(({ report }) => ({
    all: report.channelCount ?? 0,
    named: report.channels.filter((channel) => channel.members > 0).length,
  }));
  const channelRows = [...channels.values()].sort(
    (a, b) =>
      b.members - a.members ||
      b.messagesPerSecond - a.messagesPerSecond ||
      a.name.localeCompare(b.name),
  );
  return {
    totals: {
      subscriptions: instances.reduce((sum, row) => sum + row.subscriptions, 0),
      channels: Math.max(named, ...counted.map(({ all }) => all)),
      messagesPerSecond,
      instances: instances.length,
    },
    channelsAtLeast: counted.some(({ all, named: sent }) => all > sent),
    instances,
    channels: channelRows,
  };
}

/** The registry without instances silent for longer than `timeoutMs` (so dead ones do not pile up). */
export function forgetStopped(
  registry: InstanceRegistry,
  now: number,
  timeoutMs = INSTANCE_TIMEOUT_MS,
): InstanceRegistry {
  const live = liveInstances(registry, now, timeoutMs);
  return live.length === registry.size
    ? registry
    : new Map(live.map((known) => [known.report.instanceId, known]));
}
