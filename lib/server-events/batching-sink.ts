import type { EventStreamSink } from "./event-stream-sink";
import { FlushTiming } from "./flush-scheduler";

/** A batch joined into one chunk is a copy per subscriber: only small ones are joined. */
const MAX_JOINED_BYTES = 64 * 1024;

/**
 * What every sink shares, whatever it writes to: the frames of one event-loop turn (or, for
 * presence, of a short wait) go out together — as one chunk when small and the subscriber keeps
 * up, so the per-chunk cost of a web stream or a socket write is paid once; every chunk holds whole
 * frames, which the C# client's parser needs — and what is queued, downstream
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
  /** Writers waiting in `drained()`; woken whenever the subscriber may have taken something. */
  private waiters: (() => void)[] = [];

  constructor(readonly maxBufferedBytes: number) {}

  get isClosed(): boolean {
    return this.closed;
  }

  get overflowed(): boolean {
    return this.tooSlow;
  }

  get bytesWaiting(): number {
    return this.closed ? 0 : this.queuedNow();
  }

  hasRoomFor(byteLength: number): boolean {
    if (this.closed) return true;
    const queued = this.queuedNow();
    const max = this.maxBufferedBytes;
    return queued === 0 || (queued <= max / 2 && queued + byteLength <= max);
  }

  async drained(byteLength: number, stallMs: number): Promise<boolean> {
    let leastQueued = Number.POSITIVE_INFINITY;
    let stall: ReturnType<typeof setTimeout> | undefined;
    try {
      while (!this.hasRoomFor(byteLength)) {
        this.flush();
        if (this.hasRoomFor(byteLength)) break;
        // The clock restarts whenever the subscriber has taken something since it last looked.
        const queued = this.queuedNow();
        if (queued < leastQueued) {
          leastQueued = queued;
          clearTimeout(stall);
          stall = setTimeout(() => this.cutOff(), stallMs);
        }
        this.waitingForDrain();
        await new Promise<void>((resolve) => this.waiters.push(resolve));
      }
    } finally {
      clearTimeout(stall);
    }
    return !this.closed;
  }

  cutOff(): void {
    this.tooSlow = true;
    this.dropBatch();
    this.close();
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
  /**
   * A writer is about to wait in `drained()`: the transport calls `progressed()` when the
   * subscriber may have taken something (the Fetch sink on every pull; the Node sink on 'drain',
   * or soon, when Node's buffer is too small to emit one).
   */
  protected waitingForDrain(): void {}

  /** The subscriber may have taken queued bytes, or the stream ended: waiting writers look again. */
  protected progressed(): void {
    if (this.waiters.length === 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  write(chunk: Uint8Array, flushWithinMs?: number): boolean {
    if (this.closed) return false;
    const pending = this.batchBytes + chunk.byteLength;
    const queued = this.queuedBytes(pending) + this.batchBytes;
    // One oversized frame may pass on an empty queue; anything queued behind it may not.
    if (queued > 0 && queued + chunk.byteLength > this.maxBufferedBytes) {
      this.cutOff();
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
    this.progressed();
  }

  /** Downstream and in the batch, exactly (a pending of the whole limit asks for the exact count). */
  private queuedNow(): number {
    return this.queuedBytes(this.maxBufferedBytes) + this.batchBytes;
  }

  /**
   * Sends the batch; false when there was nothing to send, or no way yet. A subscriber that keeps
   * up gets a small batch joined into one chunk (one write, not many). One that is behind gets
   * the frames themselves, which every recipient shares: what it holds must not be a copy of its
   * own, or 200 streams that stop reading would hold 200 copies of every frame they are sent.
   */
  protected flush(): boolean {
    if (this.batch.length === 0 || !this.isSending) return false;
    const batch = this.batch;
    const byteLength = this.batchBytes;
    this.batch = [];
    this.batchBytes = 0;
    if (batch.length === 1) this.send(batch[0]!);
    else if (byteLength <= MAX_JOINED_BYTES && this.queuedBytes(this.maxBufferedBytes) === 0)
      this.send(concatBytes(batch, byteLength));
    else this.sendEach(batch);
    return true;
  }

  /** Hands several chunks downstream, in order (the Node sink corks the socket around them). */
  protected sendEach(chunks: readonly Uint8Array[]): void {
    for (const chunk of chunks) this.send(chunk);
  }

  /** The subscriber went away, or the stream broke: nothing more is queued or sent. */
  protected abandon(): void {
    this.closed = true;
    this.dropBatch();
    this.progressed();
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
