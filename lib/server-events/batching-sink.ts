import type { EventStreamSink } from "./event-stream-sink";
import { FlushTiming } from "./flush-scheduler";

/**
 * What every sink shares, whatever it writes to: the frames of one event-loop turn (or, for
 * presence, of a short wait) go out as one chunk — the per-chunk cost of a web stream or a socket
 * write is paid once, and the C# client's parser gets whole frames — and what is queued, downstream
 * plus this batch, stays under `maxBufferedBytes`: a subscriber that stops reading is cut off
 * rather than growing the server's memory, and replays from Last-Event-ID when it reconnects.
 *
 * A class, not an object literal with getters: V8 gives every such literal its own hidden class,
 * and the fan-out loop, which asks each recipient's sink `isClosed` and writes to it, went
 * megamorphic with thousands of subscribers.
 */
export abstract class BatchingSink implements EventStreamSink {
  private batch: Uint8Array[] = [];
  private batchBytes = 0;
  private closed = false;
  private tooSlow = false;
  private readonly timing = new FlushTiming(() => this.flush());

  constructor(protected readonly maxBufferedBytes: number) {}

  get isClosed(): boolean {
    return this.closed;
  }

  get overflowed(): boolean {
    return this.tooSlow;
  }

  /**
   * Bytes handed downstream that the subscriber has not taken yet. `pending` (this batch plus the
   * frame being written) says how close to the limit a write would go, so that a transport whose
   * exact count is dear may answer with an upper bound while far from it.
   */
  protected abstract queuedBytes(pending: number): number;
  /** False while chunks must wait (the Node sink before its head is sent, a cancelled stream). */
  protected abstract get isSending(): boolean;
  /** Hands one chunk downstream. */
  protected abstract send(chunk: Uint8Array): void;
  /** Ends the stream downstream, after the last chunk. */
  protected abstract end(): void;

  write(chunk: Uint8Array, flushWithinMs?: number): boolean {
    if (this.closed) return false;
    const pending = this.batchBytes + chunk.byteLength;
    const queued = this.queuedBytes(pending) + this.batchBytes;
    // One oversized frame may pass on an empty queue; anything queued behind it may not.
    if (queued > 0 && queued + chunk.byteLength > this.maxBufferedBytes) {
      this.tooSlow = true;
      this.dropBatch();
      this.close();
      return false;
    }
    this.batch.push(chunk);
    this.batchBytes += chunk.byteLength;
    if (this.isSending) this.timing.queued(flushWithinMs);
    return true;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.flush();
    this.end();
  }

  /** Sends the batch as one chunk; false when there was nothing to send, or no way yet. */
  protected flush(): boolean {
    if (this.batch.length === 0 || !this.isSending) return false;
    const chunk =
      this.batch.length === 1 ? this.batch[0]! : concatBytes(this.batch, this.batchBytes);
    this.batch = [];
    this.batchBytes = 0;
    this.send(chunk);
    return true;
  }

  /** The subscriber went away, or the stream broke: nothing more is queued or sent. */
  protected abandon(): void {
    this.closed = true;
    this.dropBatch();
  }

  private dropBatch(): void {
    this.batch = [];
    this.batchBytes = 0;
  }
}

/** The chunks copied, in order, into one new array of its own (never a view of a shared pool). */
export function concatBytes(
  chunks: readonly Uint8Array[],
  byteLength: number,
): Uint8Array<ArrayBuffer> {
  const joined = new Uint8Array(byteLength);
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return joined;
}
