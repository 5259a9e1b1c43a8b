import { reconnectDelay } from "./backoff";

/** How a listener watches and restores its connection; tests shorten them. */
export interface ListenerTimings {
  /** A probe this often finds connections that died without an error. @default 5000 */
  probeIntervalMs?: number;
  /** How long a probe (and LISTEN or SUBSCRIBE) may take before the connection is given up. @default 3000 */
  probeTimeoutMs?: number;
  /** First reconnect delay. @default 100 */
  reconnectBaseMs?: number;
  /** Reconnect delay cap. @default 10000 */
  reconnectMaxMs?: number;
}

/** What a listener reports to its bus. */
export interface BusListenerEvents {
  /** A payload as it came off the wire (a NOTIFY, a pub/sub message). */
  onPayload(payload: string): void;
  /** After every successful LISTEN or SUBSCRIBE, the first one included (`reconnected` false). */
  onListening(reconnected: boolean): void;
  onError(error: unknown): void;
}

export type BusListenerOptions = BusListenerEvents & ListenerTimings;

/**
 * The one connection on which an instance listens to its bus (never one per subscriber: every
 * NOTIFY or PUBLISH reaches every listening connection). This is the part every transport shares:
 * it reconnects forever with capped, jittered backoff, resetting the attempt count only once
 * listening succeeded again; it probes the connection, because one can die without an error; and
 * it tells the bus each time it listens again, so that the bus catches up from its log. A
 * transport says how to open, probe and end one connection of type `C`.
 */
export abstract class BusListener<C, O extends BusListenerOptions = BusListenerOptions> {
  private current: C | undefined;
  private attempt = 0;
  private closed = false;
  private hasListened = false;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private probeTimer: ReturnType<typeof setInterval> | undefined;
  private probing = false;

  constructor(protected readonly options: O) {}

  /** True while the connection listens; false between losing it and listening again. */
  get isListening(): boolean {
    return this.current !== undefined;
  }

  /** Resolves after the first LISTEN or SUBSCRIBE; rejects if the backend cannot be reached. */
  async start(): Promise<void> {
    await this.connect();
    this.probeTimer = setInterval(() => this.probe(), this.options.probeIntervalMs ?? 5_000);
    this.probeTimer.unref?.();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    clearInterval(this.probeTimer);
    const connection = this.current;
    this.current = undefined;
    if (connection !== undefined) await this.end(connection).catch(() => undefined);
  }

  /**
   * A new connection, listening: rejects, having let go of it, when that fails. Its payloads go
   * to `received`, its errors and its end to `lost`.
   */
  protected abstract open(): Promise<C>;

  /** A cheap round trip; rejects (or times out, after `probeTimeoutMs`) on a dead connection. */
  protected abstract ping(connection: C): Promise<unknown>;

  /** Lets go of a connection: given up, or at close. */
  protected abstract end(connection: C): Promise<void>;

  /** The connection while it listens (tests name it to cut it). */
  protected get listening(): C | undefined {
    return this.current;
  }

  protected get probeTimeoutMs(): number {
    return this.options.probeTimeoutMs ?? 3_000;
  }

  /** Only the listening connection is heard: the bus catches up on anything said before. */
  protected received(connection: C, payload: string): void {
    if (connection === this.current) this.options.onPayload(payload);
  }

  /** Reported once per connection; a new one is opened after the backoff. */
  protected lost(connection: C, error: unknown): void {
    if (connection !== this.current || this.closed) return;
    this.current = undefined;
    this.end(connection).catch(() => undefined);
    this.options.onError(error);
    this.scheduleReconnect();
  }

  private async connect(): Promise<void> {
    const connection = await this.open();
    if (this.closed) {
      await this.end(connection).catch(() => undefined);
      return;
    }
    this.current = connection;
    this.attempt = 0;
    const reconnected = this.hasListened;
    this.hasListened = true;
    this.options.onListening(reconnected);
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
    const connection = this.current;
    if (connection === undefined || this.probing) return;
    this.probing = true;
    this.ping(connection)
      .catch((error: unknown) => this.lost(connection, error))
      .finally(() => (this.probing = false));
  }
}
