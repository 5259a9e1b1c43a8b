import pg from "pg";
import { reconnectDelay } from "@/lib/server-events-cluster";

export { reconnectDelay };

export interface PostgresListenerOptions {
  /** A direct connection: PgBouncer in transaction pooling silently drops LISTEN. */
  client: pg.ClientConfig;
  channel: string;
  onNotification(payload: string): void;
  /** After every successful LISTEN, the first one included (`reconnected` is false then). */
  onListening(reconnected: boolean): void;
  onError(error: unknown): void;
  /** A `SELECT 1` this often finds connections that died without an error. @default 5000 */
  probeIntervalMs?: number;
  /** Probe (and LISTEN) answer time before the connection is given up. @default 3000 */
  probeTimeoutMs?: number;
  /** First reconnect delay. @default 100 */
  reconnectBaseMs?: number;
  /** Reconnect delay cap. @default 10000 */
  reconnectMaxMs?: number;
}

/**
 * The one LISTEN connection of an instance (never one per subscriber: every NOTIFY signals every
 * listening backend). Reconnects forever; the attempt counter resets only once LISTEN succeeded.
 */
export class PostgresListener {
  private client: pg.Client | undefined;
  private attempt = 0;
  private closed = false;
  private hasListened = false;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private probeTimer: ReturnType<typeof setInterval> | undefined;
  private probing = false;

  constructor(private readonly options: PostgresListenerOptions) {}

  /** True while LISTEN is in place; false between losing the connection and listening again. */
  get isListening(): boolean {
    return this.client !== undefined;
  }

  /** The backend pid of the current connection (tests terminate it). */
  get backendPid(): number | undefined {
    // Set by pg from BackendKeyData but missing from @types/pg.
    return (this.client as unknown as { processID?: number } | undefined)?.processID;
  }

  /** Resolves after the first LISTEN; rejects if the database cannot be reached at all. */
  async start(): Promise<void> {
    await this.connect();
    this.probeTimer = setInterval(() => this.probe(), this.options.probeIntervalMs ?? 5_000);
    this.probeTimer.unref?.();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    clearInterval(this.probeTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({
      connectionTimeoutMillis: 10_000,
      ...this.options.client,
      keepAlive: true,
      query_timeout: this.options.probeTimeoutMs ?? 3_000,
    });
    client.on("error", (error) => this.lost(client, error));
    client.on("end", () => this.lost(client, new Error("listener connection ended")));
    client.on("notification", ({ channel, payload }) => {
      if (client === this.client && channel === this.options.channel && payload !== undefined)
        this.options.onNotification(payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${client.escapeIdentifier(this.options.channel)}`);
    } catch (error) {
      client.end().catch(() => undefined);
      throw error;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.attempt = 0;
    const reconnected = this.hasListened;
    this.hasListened = true;
    this.options.onListening(reconnected);
  }

  private lost(client: pg.Client, error: unknown): void {
    if (client !== this.client || this.closed) return;
    this.client = undefined;
    client.end().catch(() => undefined);
    this.options.onError(error);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed) return;
    const delay = reconnectDelay(
      this.attempt++,
      this.options.reconnectBaseMs ?? 100,
      this.options.reconnectMaxMs ?? 10_000,
    );
    this.reconnectTimer = setTimeout(() => {
      this.connect().catch((error: unknown) => {
        this.options.onError(error);
        this.scheduleReconnect();
      });
    }, delay);
    this.reconnectTimer.unref?.();
  }

  private probe(): void {
    const client = this.client;
    if (!client || this.probing) return;
    this.probing = true;
    client
      .query("SELECT 1")
      .catch((error: unknown) => this.lost(client, error))
      .finally(() => (this.probing = false));
  }
}
