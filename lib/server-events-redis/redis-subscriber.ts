import { Redis } from "ioredis";
import { BusListener, type BusListenerOptions } from "@/lib/server-events-cluster";

export interface RedisSubscriberOptions extends BusListenerOptions {
  /** Duplicated for the subscriber connection: same server, credentials and TLS. */
  connection: Redis;
  channel: string;
}

interface Subscribed {
  client: Redis;
  /** Its `CLIENT ID`, known once connected. */
  id: number;
}

/**
 * The instance's pub/sub connection, probed with `PING`. ioredis's own reconnecting and
 * resubscribing are off: `BusListener` opens a new connection instead, so that the bus knows when
 * the subscription is live again and reads what was published meanwhile from the stream.
 */
export class RedisSubscriber extends BusListener<Subscribed, RedisSubscriberOptions> {
  /** `CLIENT ID` of the connection while it is subscribed (tests kill it with CLIENT KILL). */
  get clientId(): number | undefined {
    return this.listening?.id;
  }

  protected async open(): Promise<Subscribed> {
    const { channel } = this.options;
    const client = new Redis({
      ...this.options.connection.options,
      lazyConnect: true,
      retryStrategy: () => null, // BusListener reconnects, with its backoff
      autoResubscribe: false,
      autoResendUnfulfilledCommands: false,
      enableOfflineQueue: false,
      commandTimeout: this.probeTimeoutMs,
    });
    const subscribed: Subscribed = { client, id: 0 };
    client.on("error", (error) => this.lost(subscribed, error));
    client.on("end", () => this.lost(subscribed, new Error("subscriber connection ended")));
    client.on("message", (from: string, payload: string) => {
      if (from === channel) this.received(subscribed, payload);
    });
    try {
      await client.connect();
      subscribed.id = Number(await client.client("ID"));
      await client.subscribe(channel);
      return subscribed;
    } catch (error) {
      client.disconnect();
      throw error;
    }
  }

  protected ping({ client }: Subscribed): Promise<unknown> {
    return client.ping();
  }

  protected end({ client }: Subscribed): Promise<void> {
    client.disconnect();
    return Promise.resolve();
  }
}
