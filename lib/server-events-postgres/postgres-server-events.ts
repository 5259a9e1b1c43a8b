import type pg from "pg";
import type { ServerEventsOptions } from "@/lib/server-events";
import { ClusterServerEvents, type ClusterProviderInit } from "@/lib/server-events-cluster";
import { migrateServerEvents } from "./migrations";
import { PostgresBus, type PostgresBusOptions } from "./postgres-bus";
import { PostgresSubscriptionStore } from "./postgres-store";

export interface PostgresServerEventsInit extends ClusterProviderInit {
  /** Queries and publishing. Not ended by `stop()`: whoever created it closes it. */
  pool: pg.Pool;
  /** The LISTEN connection: a direct one (not through PgBouncer). @default the pool's config */
  listenerClient?: pg.ClientConfig;
  /** NOTIFY channel; instances sharing it form one cluster. @default "server_events" */
  channel?: string;
  /** Listener and polling timings (tests shorten them), batch size. */
  bus?: Pick<PostgresBusOptions, "pollIntervalMs" | "listener" | "maxBatchSize">;
  /** Create or update the provider's tables on `start()` (./migrations.ts). @default true */
  migrate?: boolean;
}

/**
 * Server Events across several instances on one Postgres database: the memory provider delivers
 * locally, `server_events_messages` + LISTEN/NOTIFY carry messages between instances, and
 * `server_events_subscriptions` makes presence and listings cluster-wide.
 * @see docs/architecture.md, "Postgres"
 */
export class PostgresServerEvents extends ClusterServerEvents<PostgresBus> {
  private readonly pool: pg.Pool;
  private readonly shouldMigrate: boolean;

  constructor(options: ServerEventsOptions, init: PostgresServerEventsInit) {
    super(options, {
      instanceId: init.instanceId,
      observer: init.observer,
      createBus: (context) =>
        new PostgresBus({
          ...init.bus,
          ...context,
          pool: init.pool,
          listenerClient: init.listenerClient ?? poolClientConfig(init.pool),
          channel: init.channel,
        }),
      store: new PostgresSubscriptionStore(init.pool),
    });
    this.pool = init.pool;
    this.shouldMigrate = init.migrate ?? true;
  }

  /** The transport, for stats and for tests that cut its listener. */
  get postgresBus(): PostgresBus {
    return this.bus;
  }

  override async start(): Promise<void> {
    if (this.shouldMigrate) await migrateServerEvents(this.pool);
    await super.start();
  }
}

function poolClientConfig(pool: pg.Pool): pg.ClientConfig {
  // pg keeps the config it was created with on `options`; the listener reuses it.
  const {
    max: _max,
    idleTimeoutMillis: _idle,
    ...config
  } = (pool as unknown as { options: pg.PoolConfig }).options;
  return config;
}
