import { Counter, Gauge, Registry, collectDefaultMetrics } from "prom-client";
import { env } from "@/lib/env";
import {
  bearerToken,
  constantTimeEqual,
  errorResponse,
  ServerEventsError,
  type ServerEventsStats,
} from "@/lib/server-events";
import { allBusHistograms } from "@/lib/next/bus-metrics";
import { serverEventsHandlers } from "./handlers";
import { logger } from "@/lib/next/logger";
import { startedServerEvents } from "./app-services";

type StatsKey = keyof ServerEventsStats;

const gauges: Partial<Record<StatsKey, string>> = {
  openSubscriptions: "Subscriptions connected to this instance",
  channels: "Channels with at least one member on this instance",
};
const counters: Partial<Record<StatsKey, string>> = {
  messagesPublished: "Messages published through this instance",
  framesDelivered: "Frames written to subscribers on this instance",
  registrations: "Event streams registered",
  unregistrations: "Subscriptions removed (unregister, expiry, disconnect)",
  heartbeats: "Heartbeats received",
  expiredSubscriptions: "Subscriptions removed for missing heartbeats",
  replayedMessages: "Messages replayed to clients resuming with Last-Event-ID",
  slowConsumerDisconnects: "Subscribers disconnected because they stopped reading",
  spilledPayloads: "NOTIFY payloads over the limit, stored and sent by reference",
  listenerReconnects: "Reconnects of the cluster listener (Postgres LISTEN, Redis SUBSCRIBE)",
};

const snakeCase = (name: string) => name.replace(/[A-Z]/gu, (c) => `_${c.toLowerCase()}`);

/** The provider's counters; they read 0 while it is not up (streams are refused meanwhile). */
async function readStats(): Promise<Partial<ServerEventsStats>> {
  return (await (await startedServerEvents())?.getStats()) ?? {};
}

function createRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  for (const [key, help] of Object.entries(gauges)) {
    new Gauge({
      name: `server_events_${snakeCase(key)}`,
      help,
      registers: [registry],
      async collect() {
        this.set((await readStats())[key as StatsKey] ?? 0);
      },
    });
  }
  for (const [key, help] of Object.entries(counters)) {
    // Counters mirror the provider's running totals: reset, then add the current total on scrape.
    new Counter({
      name: `server_events_${snakeCase(key)}_total`,
      help,
      registers: [registry],
      async collect() {
        this.reset();
        this.inc((await readStats())[key as StatsKey] ?? 0);
      },
    });
  }
  new Gauge({
    name: "server_events_open_streams",
    help: "Event streams this instance holds open (counted against SSE_MAX_STREAMS)",
    registers: [registry],
    collect() {
      this.set(serverEventsHandlers.context.streams.openStreams);
    },
  });
  new Counter({
    name: "server_events_streams_refused_total",
    help: "Event streams refused: per_instance is SSE_MAX_STREAMS (503), per_user SSE_MAX_STREAMS_PER_USER, per_address SSE_MAX_STREAMS_PER_ADDRESS and open_rate SSE_STREAM_OPENS_PER_SECOND (429)",
    labelNames: ["limit"],
    registers: [registry],
    collect() {
      const { perInstance, perCaller, perAddress, openRate } =
        serverEventsHandlers.context.streams.refused;
      this.reset();
      this.inc({ limit: "per_instance" }, perInstance);
      this.inc({ limit: "per_user" }, perCaller);
      this.inc({ limit: "per_address" }, perAddress);
      this.inc({ limit: "open_rate" }, openRate);
    },
  });
  // Observed as batches commit (lib/next/bus-metrics.ts), not collected at scrape time.
  for (const histogram of allBusHistograms()) registry.registerMetric(histogram);
  return registry;
}

const globalCache = globalThis as unknown as { __serverEventsMetrics?: Registry };

/**
 * `GET /metrics` in Prometheus text format. Open in development; in production it needs
 * `Authorization: Bearer <METRICS_TOKEN or SSE_ADMIN_TOKEN>`.
 */
export async function handleMetrics(request: Request): Promise<Response> {
  const token = env.METRICS_TOKEN ?? env.SSE_ADMIN_TOKEN;
  const bearer = bearerToken(request);
  const isAllowed = token !== undefined && bearer !== undefined && constantTimeEqual(bearer, token);
  if (env.NODE_ENV === "production" && !isAllowed) {
    const message = token
      ? "Send 'Authorization: Bearer <METRICS_TOKEN>'"
      : "Set METRICS_TOKEN to enable /metrics in production";
    return errorResponse(new ServerEventsError("unauthorized", message), (error) =>
      logger.error({ err: error }, "metrics failed"),
    );
  }
  const registry = (globalCache.__serverEventsMetrics ??= createRegistry());
  return new Response(await registry.metrics(), {
    headers: { "Content-Type": registry.contentType },
  });
}
