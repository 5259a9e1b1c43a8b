import type { PublishedMessage, ServerEvents } from "@/lib/server-events";
import {
  ADMIN_CHANNEL,
  INSTANCE_REPORT_SELECTOR,
  INSTANCE_TIMEOUT_MS,
  MAX_REPORTED_CHANNELS,
  REPORT_INTERVAL_MS,
  instanceReportSchema,
  type ChannelReport,
  type InstanceReport,
} from "./admin-channel";
import { clusterView, forgetStopped, recordReport, type InstanceRegistry } from "./cluster-view";
import { appendSample, type TrafficSample } from "./traffic-history";
import { TrafficMeter } from "./traffic-meter";

/** What this process holds: the provider itself in memory, its local half in a cluster. */
export interface LocalInstance {
  readonly localCount: number;
  localChannelSizes(): Map<string, number>;
}

export interface AdminMonitorInit {
  events: ServerEvents;
  local: LocalInstance;
  instanceId: string;
  /** @default Date.now */
  now?: () => number;
  /** @default REPORT_INTERVAL_MS */
  reportIntervalMs?: number;
  /** An instance silent for longer has stopped. @default INSTANCE_TIMEOUT_MS */
  instanceTimeoutMs?: number;
  /** A report that could not be published, or one that arrived malformed. */
  onError?: (error: unknown) => void;
}

/** A report as the dashboard receives it first: how old it was when the page was rendered. */
export type AgedReport = InstanceReport & { ageMs: number };

/** What /admin shows before any live report arrives. */
export interface MonitorSnapshot {
  reports: AgedReport[];
  history: TrafficSample[];
}

/**
 * One per instance: counts the traffic it sees on the bus, publishes its report to the admin
 * channel every interval, and keeps every instance's latest report and the last ten minutes of
 * the cluster's numbers — so /admin starts with the whole cluster and its chart on any instance.
 * @see docs/architecture.md, "The admin dashboard"
 */
export class AdminMonitor {
  private readonly now: () => number;
  private readonly intervalMs: number;
  private readonly timeoutMs: number;
  private readonly meter: TrafficMeter;
  private readonly startedAt: number;
  private registry: InstanceRegistry = new Map();
  private history: TrafficSample[] = [];
  private timer: ReturnType<typeof setInterval> | undefined;
  private stopObserving: (() => void) | undefined;

  constructor(private readonly init: AdminMonitorInit) {
    this.now = init.now ?? Date.now;
    this.intervalMs = init.reportIntervalMs ?? REPORT_INTERVAL_MS;
    this.timeoutMs = init.instanceTimeoutMs ?? INSTANCE_TIMEOUT_MS;
    this.meter = new TrafficMeter(this.now);
    this.startedAt = this.now();
  }

  start(): void {
    this.stopObserving ??= this.init.events.observeMessages((message) => this.observe(message));
    this.timer ??= setInterval(() => void this.report(), this.intervalMs);
    this.timer.unref?.();
    void this.report();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.stopObserving?.();
    this.stopObserving = undefined;
  }

  snapshot(): MonitorSnapshot {
    const now = this.now();
    const reports = [...this.registry.values()].map(({ report, receivedAt }) => ({
      ...report,
      ageMs: Math.max(0, now - receivedAt),
    }));
    return { reports, history: [...this.history] };
  }

  /** Publishes this instance's report and adds the cluster's current numbers to the history. */
  async report(): Promise<void> {
    const report = this.ownReport();
    // Recorded at once: on a cluster our own copy comes back over the bus only later.
    this.remember(report);
    const view = clusterView(this.registry, report.sentAt, this.timeoutMs);
    this.history = appendSample(
      this.history,
      {
        at: report.sentAt,
        messagesPerSecond: view.totals.messagesPerSecond,
        openStreams: view.totals.subscriptions,
      },
      this.intervalMs / 2,
    );
    try {
      await this.init.events.notifyChannel(ADMIN_CHANNEL, INSTANCE_REPORT_SELECTOR, report);
    } catch (error) {
      this.init.onError?.(error);
    }
  }

  private ownReport(): InstanceReport {
    const { messagesPerSecond, byChannel } = this.meter.rates();
    const members = this.init.local.localChannelSizes();
    members.delete(ADMIN_CHANNEL);
    const names = new Set([...members.keys(), ...byChannel.keys()]);
    const channels: ChannelReport[] = [...names]
      .map((name) => ({
        name,
        members: members.get(name) ?? 0,
        messagesPerSecond: round(byChannel.get(name) ?? 0),
      }))
      .sort((a, b) => b.members - a.members || b.messagesPerSecond - a.messagesPerSecond)
      .slice(0, MAX_REPORTED_CHANNELS);
    return {
      instanceId: this.init.instanceId,
      startedAt: this.startedAt,
      sentAt: this.now(),
      subscriptions: this.init.local.localCount,
      messagesPerSecond: round(messagesPerSecond),
      channels,
      channelCount: [...members.values()].filter((n) => n > 0).length,
    };
  }

  /**
   * Every message the bus brings: the admin channel's own frames are not traffic (they would
   * make an idle cluster look busy), and the reports among them are remembered.
   */
  private observe(message: PublishedMessage): void {
    const { target } = message;
    const channel = target.kind === "channel" ? target.value : null;
    if (channel !== ADMIN_CHANNEL) return this.meter.record(channel);
    if (message.selector !== INSTANCE_REPORT_SELECTOR) return;
    const parsed = instanceReportSchema.safeParse(parseJson(message.json));
    if (parsed.success) this.remember(parsed.data);
    else this.init.onError?.(new Error(`Malformed instance report: ${parsed.error.message}`));
  }

  private remember(report: InstanceReport): void {
    const now = this.now();
    this.registry = recordReport(forgetStopped(this.registry, now, this.timeoutMs), report, now);
  }
}

const round = (value: number) => Math.round(value * 100) / 100;

function parseJson(json: string): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return undefined;
  }
}
