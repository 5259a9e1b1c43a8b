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
  /** Messages that arrived while a replay was being read; flushed after it. */
  private endTimer: ReturnType<typeof setTimeout> | undefined;
  private pendingDuringReplay: { id: number; bytes: Uint8Array; frame: string }[] | null = null;

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

  setChannels(channels: readonly string[]): void {
    this.channels = [...channels];
    this.meta.channels = this.channels.join(",");
  }

  /** Meta as the one-line JSON that onJoin/onLeave/onUpdate/onHeartbeat carry. */
  metaJson(): string {
    return JSON.stringify(this.meta);
  }

  /**
   * Writes a frame unless this connection already has it (ids at or below the cursor were sent or
   * predate the connection). Returns false when the connection is gone or too slow.
   */
  deliver(id: number, frame: string, bytes: Uint8Array = encoder.encode(frame)): boolean {
    if (this.pendingDuringReplay) {
      this.pendingDuringReplay.push({ id, bytes, frame });
      return true;
    }
    if (id <= this.cursor) return true;
    this.cursor = id;
    return this.sink?.write(bytes) ?? false;
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

  /** Writes the missed messages, then whatever arrived meanwhile, skipping what was already sent. */
  endReplay(replayed: readonly { id: number; frame: string }[]): void {
    const pending = this.pendingDuringReplay ?? [];
    this.pendingDuringReplay = null;
    for (const { id, frame } of replayed) this.deliver(id, frame);
    pending.sort((a, b) => a.id - b.id);
    for (const { id, frame, bytes } of pending) this.deliver(id, frame, bytes);
  }

  close(): void {
    clearTimeout(this.endTimer);
    this.sink?.close();
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
