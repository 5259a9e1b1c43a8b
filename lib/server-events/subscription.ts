import type { EventStreamSink } from "./event-stream-sink";
import type { AddressableSubscription } from "./message";
import { formatFrame, formatRetry } from "./wire/frame";

const encoder = new TextEncoder();

/** What every provider can tell about a subscription, wherever it is connected. */
export interface SubscriptionInfo extends AddressableSubscription {
  displayName: string;
  isAuthenticated: boolean;
  profileUrl: string;
  createdAt: number;
  lastPulseAt: number;
  userAddress: string | null;
  /** Public: sent to channel peers and listed by /event-subscribers. All values are strings. */
  meta: Record<string, string>;
  /** Private to the subscriber: merged into its `cmd.onConnect`. */
  connectArgs: Record<string, string>;
  /** Server only: never written to any client. */
  serverArgs: Record<string, string>;
}

export type SubscriptionInit = Omit<SubscriptionInfo, "meta" | "lastPulseAt"> & {
  meta?: Record<string, string>;
};

/**
 * What a subscription asks of the provider holding it, so that hook code can act on the
 * subscription it was given (ServiceStack's `IEventSubscription.Publish`, `Pulse`,
 * `UnsubscribeAsync`): published messages go through the provider's log (replayable, and across
 * instances on Postgres and Redis), and channel changes through its index.
 */
export interface SubscriptionOwner {
  notifySubscription(
    id: string,
    selector: string,
    message: unknown,
    channel?: string,
  ): Promise<void>;
  pulse(id: string): Promise<boolean>;
  unRegister(id: string): Promise<SubscriptionInfo | null>;
  subscribeToChannels(id: string, channels: readonly string[]): Promise<void>;
  unsubscribeFromChannels(id: string, channels: readonly string[]): Promise<void>;
}

/**
 * Re-labels a subscription's channels; only the subscription index calls it (through this symbol,
 * which the package does not export), so that the index always knows who is in which channel.
 */
export const applyChannels: unique symbol = Symbol("applyChannels");

/** One open event stream: its identity, channels and the connection frames are written to. */
export class Subscription implements SubscriptionInfo {
  readonly id: string;
  readonly userId: string;
  readonly userName: string | null;
  readonly displayName: string;
  readonly sessionId: string | null;
  readonly isAuthenticated: boolean;
  readonly profileUrl: string;
  readonly createdAt: number;
  readonly userAddress: string | null;
  channels: string[];
  meta: Record<string, string>;
  connectArgs: Record<string, string>;
  serverArgs: Record<string, string>;
  lastPulseAt: number;
  /** The id of the last message written or known to be older than this connection. */
  cursor = 0;
  /**
   * Runs when this subscription is unsubscribed, after the provider's `onUnsubscribe` hook
   * (ServiceStack's per-subscription `OnUnsubscribe`).
   */
  onUnsubscribe: ((subscription: Subscription) => void | Promise<void>) | undefined;
  /** Runs once, when `close()` ends the stream (the stream handler's count of open streams). */
  onClose: (() => void) | undefined;
  private owner: SubscriptionOwner | undefined;
  private asyncDeliveries: Promise<void> = Promise.resolve();
  private endTimer: ReturnType<typeof setTimeout> | undefined;
  /** Messages that arrived while a replay was being written; written after it. */
  private pendingDuringReplay: { id: number; bytes: Uint8Array }[] | null = null;
  private pendingBytes = 0;

  constructor(
    init: SubscriptionInit,
    private readonly sink: EventStreamSink | null,
  ) {
    this.id = init.id;
    this.userId = init.userId;
    this.userName = init.userName;
    this.displayName = init.displayName;
    this.sessionId = init.sessionId;
    this.isAuthenticated = init.isAuthenticated;
    this.profileUrl = init.profileUrl;
    this.createdAt = init.createdAt;
    this.userAddress = init.userAddress;
    this.channels = [...init.channels];
    this.connectArgs = { ...init.connectArgs };
    this.serverArgs = { ...init.serverArgs };
    this.lastPulseAt = init.createdAt;
    this.meta = {
      userId: this.userId,
      isAuthenticated: String(this.isAuthenticated),
      displayName: this.displayName,
      channels: this.channels.join(","),
      createdAt: String(this.createdAt),
      profileUrl: this.profileUrl,
      ...init.meta,
    };
  }

  get isClosed(): boolean {
    return this.sink === null || this.sink.isClosed;
  }

  /** Disconnected because its unsent frames exceeded the buffer limit. */
  get wasTooSlow(): boolean {
    return this.sink?.overflowed ?? false;
  }

  [applyChannels](channels: readonly string[]): void {
    this.channels = [...channels];
    this.meta.channels = this.channels.join(",");
  }

  /** Called by the provider that registers it. */
  attach(owner: SubscriptionOwner): void {
    this.owner = owner;
  }

  private requireOwner(): SubscriptionOwner {
    if (!this.owner) throw new Error(`Subscription '${this.id}' is not registered`);
    return this.owner;
  }

  /** Sends `message` (serialized) to this subscription alone; replayable like any message. */
  publish(selector: string, message: unknown, channel?: string): Promise<void> {
    return this.requireOwner().notifySubscription(this.id, selector, message, channel);
  }

  /**
   * Writes `frames` (whole SSE frames: each ends with a blank line, LF only) to this stream as they
   * are, outside the message log: they carry no id and are not replayed. For hook code that
   * needs a frame ServiceStack's format cannot express; everything else should use `publish`.
   * @returns false when the stream is gone or too slow
   */
  publishRaw(frames: string): boolean {
    if (!frames.endsWith("\n\n") || frames.includes("\r"))
      throw new TypeError(
        "publishRaw takes whole SSE frames: LF line ends, each ending with a blank line",
      );
    return this.sink?.write(encoder.encode(frames)) ?? false;
  }

  /** A heartbeat from the server side: refreshes the idle timer and writes `cmd.onHeartbeat`. */
  pulse(): Promise<boolean> {
    return this.requireOwner().pulse(this.id);
  }

  /** Unregisters this subscription: its stream ends and its channels get onLeave. */
  async unsubscribeAsync(): Promise<void> {
    await this.requireOwner().unRegister(this.id);
  }

  /** Joins `channels` through the provider (index, store, onUpdate), as `/event-subscribers/{id}`. */
  subscribeToChannels(channels: readonly string[]): Promise<void> {
    return this.requireOwner().subscribeToChannels(this.id, channels);
  }

  unsubscribeFromChannels(channels: readonly string[]): Promise<void> {
    return this.requireOwner().unsubscribeFromChannels(this.id, channels);
  }

  /**
   * Runs `task` after every earlier one of this subscription: `onPublishAsync` is awaited before
   * each frame is written, and frames still arrive in order.
   */
  queueDelivery(task: () => Promise<void>): void {
    this.asyncDeliveries = this.asyncDeliveries.then(task);
  }

  /** Meta as the one-line JSON that onJoin/onLeave/onUpdate/onHeartbeat carry. */
  metaJson(): string {
    return JSON.stringify(this.meta);
  }

  /**
   * Writes a frame unless this connection already has it (ids at or below the cursor were sent or
   * predate the connection). Returns false when the connection is gone or too slow.
   * `flushWithinMs` > 0 lets the frame wait that long to share a write (presence frames).
   */
  deliver(
    id: number,
    frame: string,
    bytes: Uint8Array = encoder.encode(frame),
    flushWithinMs = 0,
  ): boolean {
    if (this.pendingDuringReplay) return this.holdDuringReplay(id, bytes);
    if (id <= this.cursor) return true;
    this.cursor = id;
    return this.sink?.write(bytes, flushWithinMs) ?? false;
  }

  /** Frames for this connection only (onConnect, onHeartbeat): they reuse the cursor as their id. */
  writePrivate(wireSelector: string, json: string): boolean {
    return this.sink?.write(encoder.encode(formatFrame(this.cursor, wireSelector, json))) ?? false;
  }

  /**
   * Ends the stream on the server's initiative: a `retry:` hint first, so the client comes back
   * after `retryMs` with `Last-Event-ID`, then the end of the stream. The caller unregisters.
   */
  endWithRetryHint(retryMs: number): void {
    this.sink?.write(encoder.encode(formatRetry(retryMs)));
    this.close();
  }

  /**
   * Runs `onDue` after `delayMs` unless the stream ends first; `SSE_MAX_STREAM_DURATION_MS` uses it
   * to end streams before a platform cuts them.
   */
  scheduleEnd(delayMs: number, onDue: () => void): void {
    clearTimeout(this.endTimer);
    this.endTimer = setTimeout(onDue, delayMs);
    this.endTimer.unref?.();
  }

  /** Live deliveries are held back until the replay has been written, so order is kept. */
  beginReplay(): void {
    this.pendingDuringReplay ??= [];
  }

  /**
   * Writes the missed messages, then whatever arrived meanwhile, skipping what was already sent.
   * A replay larger than the subscriber's buffer goes out as fast as it reads, never more than
   * half the buffer at a time: a burst of large messages while it was away (2 MB each, say) must
   * not get a resuming client cut off before its cmd.onConnect, again on every retry. Each frame
   * is encoded only when its turn comes. False when the stream closed first: cut off for taking
   * nothing for `stallMs`, or for more live frames than its buffer holds piling up behind.
   */
  async endReplay<T extends { id: number }>(
    replayed: readonly T[],
    encode: (item: T) => Uint8Array,
    stallMs: number,
  ): Promise<boolean> {
    let complete = await this.writePaced(replayed, encode, stallMs);
    // Live messages keep arriving while a long replay waits on the subscriber: they go next.
    while (complete && this.pendingDuringReplay && this.pendingDuringReplay.length > 0) {
      const arrived = this.pendingDuringReplay.splice(0).sort((a, b) => a.id - b.id);
      this.pendingBytes = 0;
      complete = await this.writePaced(arrived, (held) => held.bytes, stallMs);
    }
    this.pendingDuringReplay = null;
    this.pendingBytes = 0;
    return complete;
  }

  private async writePaced<T extends { id: number }>(
    frames: readonly T[],
    encode: (item: T) => Uint8Array,
    stallMs: number,
  ): Promise<boolean> {
    const sink = this.sink;
    if (!sink) return false;
    for (const item of frames) {
      if (item.id <= this.cursor) continue;
      const bytes = encode(item);
      if (!sink.hasRoomFor(bytes.byteLength) && !(await sink.drained(bytes.byteLength, stallMs)))
        return false;
      if (item.id <= this.cursor) continue;
      this.cursor = item.id;
      if (!sink.write(bytes)) return false;
    }
    return true;
  }

  /** A live frame waits for the replay; more than the buffer's worth means it cannot keep up. */
  private holdDuringReplay(id: number, bytes: Uint8Array): boolean {
    this.pendingBytes += bytes.byteLength;
    if (this.sink && this.pendingBytes > this.sink.maxBufferedBytes) {
      this.pendingDuringReplay = [];
      this.sink.cutOff();
      return false;
    }
    this.pendingDuringReplay!.push({ id, bytes });
    return true;
  }

  close(): void {
    clearTimeout(this.endTimer);
    this.sink?.close();
    const onClose = this.onClose;
    this.onClose = undefined;
    onClose?.();
  }

  toInfo(): SubscriptionInfo {
    return {
      id: this.id,
      userId: this.userId,
      userName: this.userName,
      displayName: this.displayName,
      sessionId: this.sessionId,
      isAuthenticated: this.isAuthenticated,
      profileUrl: this.profileUrl,
      createdAt: this.createdAt,
      lastPulseAt: this.lastPulseAt,
      userAddress: this.userAddress,
      channels: [...this.channels],
      meta: { ...this.meta },
      connectArgs: { ...this.connectArgs },
      serverArgs: { ...this.serverArgs },
    };
  }
}
