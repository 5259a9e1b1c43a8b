import pg from "pg";
import { BusListener, type BusListenerOptions } from "@/lib/server-events-cluster";

export interface PostgresListenerOptions extends BusListenerOptions {
  /** A direct connection: PgBouncer in transaction pooling silently drops LISTEN. */
  client: pg.ClientConfig;
  channel: string;
}

/**
 * The instance's LISTEN connection: a `pg.Client` of its own, outside the pool, probed with
 * `SELECT 1`. Reconnecting, probing and catching up are `BusListener`'s.
 */
export class PostgresListener extends BusListener<pg.Client, PostgresListenerOptions> {
  /** The backend pid of the listening connection (tests terminate it). */
  get backendPid(): number | undefined {
    // Set by pg from BackendKeyData but missing from @types/pg.
    return (this.listening as { processID?: number } | undefined)?.processID;
  }

  protected async open(): Promise<pg.Client> {
    const { channel } = this.options;
    const client = new pg.Client({
      connectionTimeoutMillis: 10_000,
      ...this.options.client,
      keepAlive: true,
      query_timeout: this.probeTimeoutMs,
    });
    client.on("error", (error) => this.lost(client, error));
    client.on("end", () => this.lost(client, new Error("listener connection ended")));
    client.on("notification", (notification) => {
      if (notification.channel === channel && notification.payload !== undefined)
        this.received(client, notification.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${client.escapeIdentifier(channel)}`);
      return client;
    } catch (error) {
      client.end().catch(() => undefined);
      throw error;
    }
  }

  protected ping(client: pg.Client): Promise<unknown> {
    return client.query("SELECT 1");
  }

  protected end(client: pg.Client): Promise<void> {
    return client.end();
  }
}
