import { FlushTiming } from "./flush-scheduler";

/**
 * The write side of one subscriber's HTTP response. Frames are written whole — the frames of one
 * event-loop turn together, as one chunk (the C# client's parser needs whole frames per read;
 * several are fine) — and what is queued is bounded: a subscriber that stops reading is cut off
 * rather than growing the server's memory (it reconnects and replays from Last-Event-ID).
 * {@link createEventStream} writes to a Fetch `ReadableStream`, so the core runs under any Fetch
 * server; the Node adapter (lib/server-events-node) writes to the socket.
 */
export interface EventStreamSink {
  /**
   * False when the subscriber was too slow and has been disconnected, or is already closed.
   * `flushWithinMs` > 0 lets the chunk wait that long to share a write with later ones (presence).
   */
  write(chunk: Uint8Array, flushWithinMs?: number): boolean;
  /** Ends the stream after the frames already written. */
  close(): void;
  readonly isClosed: boolean;
  /** True when it was closed because the subscriber stopped reading. */
  readonly overflowed: boolean;
}

/**
 * How one subscriber's frames reach it: the stream handler opens the sink, asks whether the
 * subscriber already left, and finally answers with `respond()` — a Fetch `Response`, or nothing
 * for a transport that writes the head to a socket itself.
 */
export interface EventStreamTransport<R> {
  /** The write side, bounded by `maxBufferedBytes`; `onGone` runs when the subscriber leaves. */
  open(maxBufferedBytes: number, onGone: () => void): EventStreamSink;
  /** True once the subscriber has gone away (closed the connection). */
  readonly isGone: boolean;
  /**
   * Sends (or returns) the 200 with the event-stream headers plus `extraHeaders` (what `onInit`
   * added); frames written earlier follow it.
   */
  respond(extraHeaders: Headers): R;
}

export interface EventStream {
  stream: ReadableStream<Uint8Array>;
  sink: EventStreamSink;
}

export function createEventStream(maxBufferedBytes: number, onCancel: () => void): EventStream {
  const sink = new FetchEventStreamSink(maxBufferedBytes, onCancel);
  return { stream: sink.stream, sink };
}

/**
 * A class, not an object literal with getters: V8 gives every such literal its own hidden class,
 * so the fan-out loop, which asks each recipient's sink `isClosed` and writes to it, went
 * megamorphic with thousands of subscribers.
 */
class FetchEventStreamSink implements EventStreamSink {
  readonly stream: ReadableStream<Uint8Array>;
  private controller!: ReadableStreamDefaultController<Uint8Array>;
  private closed = false;
  private cancelled = false;
  private tooSlow = false;
  private batch: Uint8Array[] = [];
  private batchBytes = 0;
  /**
   * Bytes the reader had not taken when last asked. The queue only grows when we enqueue, so this
   * bounds it from above and spares a `desiredSize` read per frame.
   */
  private queuedAtMost = 0;
  private readonly timing = new FlushTiming(() => this.flush());

  constructor(
    private readonly maxBufferedBytes: number,
    onCancel: () => void,
  ) {
    this.stream = new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          this.controller = controller;
        },
        cancel: () => {
          this.closed = this.cancelled = true;
          this.batch = [];
          onCancel();
        },
      },
      // desiredSize = highWaterMark − queued bytes, so it goes negative once the buffer overflows.
      { highWaterMark: maxBufferedBytes, size: (chunk) => chunk.byteLength },
    );
  }

  get isClosed(): boolean {
    return this.closed;
  }

  get overflowed(): boolean {
    return this.tooSlow;
  }

  write(chunk: Uint8Array, flushWithinMs?: number): boolean {
    if (this.closed) return false;
    const { maxBufferedBytes } = this;
    // One oversized frame may pass on an empty queue; anything queued behind it may not.
    if (this.queuedAtMost + this.batchBytes + chunk.byteLength > maxBufferedBytes) {
      this.queuedAtMost = maxBufferedBytes - (this.controller.desiredSize ?? 0);
      const queued = this.queuedAtMost + this.batchBytes;
      if (queued > 0 && queued + chunk.byteLength > maxBufferedBytes) {
        this.tooSlow = true;
        this.batch = [];
        this.close();
        return false;
      }
    }
    this.batch.push(chunk);
    this.batchBytes += chunk.byteLength;
    this.timing.queued(flushWithinMs);
    return true;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.flush();
    try {
      this.controller.close();
    } catch {
      // already errored or cancelled by the reader
    }
  }

  private flush(): void {
    if (this.cancelled || this.batch.length === 0) return;
    const chunk = this.batch.length === 1 ? this.batch[0]! : concat(this.batch, this.batchBytes);
    this.batch = [];
    this.batchBytes = 0;
    this.queuedAtMost += chunk.byteLength;
    try {
      this.controller.enqueue(chunk);
    } catch {
      this.closed = true;
    }
  }
}

function concat(chunks: readonly Uint8Array[], byteLength: number): Uint8Array {
  const joined = new Uint8Array(byteLength);
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return joined;
}
