import type { EventStreamSink } from "./event-stream-sink";
import { formatFrame, formatRetry } from "./wire/frame";

const encoder = new TextEncoder();

/**
 * The connection half of a subscription: the frames written to one event stream, in id order and
 * each once (the cursor), live frames held back behind a replay, the replay paced to what the
 * subscriber reads, frames queued behind `onPublishAsync`, and the end of the stream. Everything
 * counts against one buffer: a subscriber that cannot keep up is cut off and resumes from
 * `Last-Event-ID`. {@link Subscription} adds who it is and what it may do.
 */
export class SubscriptionConnection {
  /** The id of the last message written or known to be older than this connection. */
  cursor = 0;
  /** Runs once, when `close()` ends the stream (the stream handler's count of open streams). */
  onClose: (() => void) | undefined;
  private asyncDeliveries: Promise<void> = Promise.resolve();
  /** Bytes of the frames waiting in {@link asyncDeliveries}. */
  private queuedBytes = 0;
  private endTimer: ReturnType<typeof setTimeout> | undefined;
  /** Messages that arrived while a replay was being written; written after it. */
  private pendingDuringReplay: { id: number; bytes: Uint8Array }[] | null = null;
  private pendingBytes = 0;

  constructor(protected readonly sink: EventStreamSink | null) {}

  get isClosed(): boolean {
    return this.sink === null || this.sink.isClosed;
  }

  /** Disconnected because its unsent frames exceeded the buffer limit. */
  get wasTooSlow(): boolean {
    return this.sink?.overflowed ?? false;
  }

  /**
   * Runs `task` (which must not throw) after every earlier one of this subscription:
   * `onPublishAsync` is awaited before each frame is written, and frames still arrive in order.
   * The `bytes` waiting behind a slow hook count against the same buffer as the frames written
   * and not yet read: past it the subscriber is cut off as too slow (it resumes from
   * `Last-Event-ID`), and this returns false.
   */
  queueDelivery(bytes: number, task: () => Promise<void>): boolean {
    const sink = this.sink;
    const queued = this.queuedBytes + (sink?.bytesWaiting ?? 0);
    // As the sink's own rule: one oversized frame may pass when nothing is waiting.
    if (sink && queued > 0 && queued + bytes > sink.maxBufferedBytes) {
      sink.cutOff();
      return false;
    }
    this.queuedBytes += bytes;
    this.asyncDeliveries = this.asyncDeliveries.then(async () => {
      try {
        await task();
      } finally {
        this.queuedBytes -= bytes;
      }
    });
    return true;
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

  /**
   * Ends a replay that had nothing to send at once, without a promise (the usual fresh stream).
   * False when live frames already wait behind it: `endReplay` writes them.
   */
  endEmptyReplay(): boolean {
    if (this.pendingDuringReplay && this.pendingDuringReplay.length > 0) return false;
    this.pendingDuringReplay = null;
    this.pendingBytes = 0;
    return true;
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
}
