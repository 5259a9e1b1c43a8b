import { Redis } from "ioredis";
import { reconnectDelay } from "@/lib/server-events-cluster";

export interface RedisSubscriberOptions {
  /** Duplicated for the subscriber connection: same server, credentials and TLS. */
  connection: Redis;
  channel: string;
  onMessage(payload: string): void;
  /** After every successful SUBSCRIBE, the first one included (`resubscribed` is false then). */
  onSubscribed(resubscribed: boolean): void;
  onError(error: unknown): void;
  /** A PING this often finds connections that died without closing. @default 5000 */
  probeIntervalMs?: number;
  /** How long PING (and SUBSCRIBE) may take before the connection is given up. @default 3000 */
  probeTimeoutMs?: number;
  /** First reconnect delay. @default 100 */
  reconnectBaseMs?: number;
  /** Reconnect delay cap. @default 10000 */
  reconnectMaxMs?: number;
}

/**
 * The one pub/sub connection of an instance. ioredis reconnects it (capped, jittered backoff);
 * we subscribe ourselves on every "ready" rather than let ioredis resubscribe, so that we know
 * when the subscription is live again and can read what was published meanwhile from the stream.
 */
export class RedisSubscriber {
  /** `CLIENT ID` of the connection while it is subscribed (tests kill it with CLIENT KILL). */
  clientId: number | undefined;
  private client: Redis | undefined;
  private hasSubscribed = false;
  private closed = false;
  private probeTimer: ReturnType<typeof setInterval> | undefined;
  private probing = false;

  constructor(private readonly options: RedisSubscriberOptions) {}

  /** True while SUBSCRIBE is in place; false while ioredis reconnects. */
  get isListening(): boolean {
    return this.clientId !== undefined;
  }

  /** Resolves after the first SUBSCRIBE; rejects if Redis cannot be reached at all. */
  async start(): Promise<void> {
    const { reconnectBaseMs = 100, reconnectMaxMs = 10_000 } = this.options;
    const client = new Redis({
      ...this.options.connection.options,
      lazyConnect: true,
      autoResubscribe: false,
      autoResendUnfulfilledCommands: false,
      enableOfflineQueue: false,
      maxRetriesPerRequest: null,
      commandTimeout: this.options.probeTimeoutMs ?? 3_000,
      retryStrategy: (times: number) => reconnectDelay(times - 1, reconnectBaseMs, reconnectMaxMs),
    });
    this.client = client;
    client.on("error", (error) => this.options.onError(error));
    client.on("close", () => {
      if (client === this.client) this.clientId = undefined;
    });
    client.on("message", (channel: string, payload: string) => {
      if (client === this.client && channel === this.options.channel)
        this.options.onMessage(payload);
    });
    const first = new Promise<void>((resolve, reject) => {
      client.on("ready", () => {
        this.subscribe(client).then(resolve, (error: unknown) => {
          if (!this.hasSubscribed)
            reject(error instanceof Error ? error : new Error(String(error)));
        });
      });
    });
    try {
      await client.connect();
      await first;
    } catch (error) {
      this.closed = true;
      client.disconnect();
      throw error;
    }
    this.probeTimer = setInterval(() => this.probe(), this.options.probeIntervalMs ?? 5_000);
    this.probeTimer.unref?.();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.probeTimer);
    const client = this.client;
    this.client = undefined;
    if (client?.status === "ready") await client.quit().catch(() => undefined);
    client?.disconnect();
  }

  private async subscribe(client: Redis): Promise<void> {
    try {
      const id = await client.client("ID");
      await client.subscribe(this.options.channel);
      if (this.closed || client !== this.client) return;
      this.clientId = Number(id);
      const resubscribed = this.hasSubscribed;
      this.hasSubscribed = true;
      this.options.onSubscribed(resubscribed);
    } catch (error) {
      this.lost(client, error);
      throw error;
    }
  }

  private probe(): void {
    const client = this.client;
    if (!client || client.status !== "ready" || this.probing) return;
    this.probing = true;
    client
      .ping()
      .catch((error: unknown) => this.lost(client, error))
      .finally(() => (this.probing = false));
  }

  /** Reports and drops the connection; ioredis reconnects and "ready" subscribes again. */
  private lost(client: Redis, error: unknown): void {
    if (this.closed || client !== this.client) return;
    this.options.onError(error);
    if (client.status === "ready") client.disconnect(true);
  }
}
