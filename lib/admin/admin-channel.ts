import { z } from "zod";

/**
 * The operators' channel: every instance publishes its report here, and /admin listens. Only
 * callers with the `admin` role may stream, list or publish to it (`restrictedChannels` in
 * app/_server/handlers.ts), on every provider and in both serving modes.
 */
export const ADMIN_CHANNEL = "server-events.admin";

/** An instance's report: `op.target` `admin.instance`, so the page reads it with a receiver. */
export const INSTANCE_REPORT_SELECTOR = "admin.instance";

/** How often each instance reports. */
export const REPORT_INTERVAL_MS = 2_000;

/**
 * An instance whose last report is older than this has stopped (crashed, partitioned, shut
 * down): it drops out of every total. Three missed reports, so one slow one is not a death.
 */
export const INSTANCE_TIMEOUT_MS = 3 * REPORT_INTERVAL_MS + 1_000;

/** A report names at most this many channels, the busiest first, so it stays a few KB. */
export const MAX_REPORTED_CHANNELS = 200;

const count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const rate = z.number().nonnegative().max(1e9);

export const channelReportSchema = z.object({
  name: z.string().min(1).max(200),
  /** Subscriptions on this instance that are in the channel. */
  members: count,
  /** Messages a second to the channel, as this instance saw them on the bus. */
  messagesPerSecond: rate,
});

/**
 * What one instance tells the others and the dashboards, every {@link REPORT_INTERVAL_MS}.
 * Membership is the instance's own; traffic is what it saw on the bus, which carries every
 * message to every instance — so each report measures the whole cluster's traffic.
 */
export const instanceReportSchema = z.object({
  instanceId: z.string().min(1).max(200),
  startedAt: count,
  sentAt: count,
  /** Streams open on this instance. */
  subscriptions: count,
  messagesPerSecond: rate,
  channels: z.array(channelReportSchema).max(MAX_REPORTED_CHANNELS),
  /**
   * Channels with members on this instance, all of them: more than `channels` names once there
   * are over {@link MAX_REPORTED_CHANNELS}. Optional: an instance of an older version leaves it
   * out during a rolling restart.
   */
  channelCount: count.optional(),
});

export type ChannelReport = z.infer<typeof channelReportSchema>;
export type InstanceReport = z.infer<typeof instanceReportSchema>;
