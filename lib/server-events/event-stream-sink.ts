import { BatchingSink } from "./batching-sink";

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
  /** What may be queued for the subscriber before it is cut off. */
  readonly maxBufferedBytes: number;
  /** Bytes written and not yet taken by the subscriber (0 once closed). */
  readonly bytesWaiting: number;
  /**
   * Whether a frame of `byteLength` may be written now by a writer with much to send (a replay):
   * with nothing queued, or with at most half the buffer queued and room for the frame. Otherwise
   * it waits for {@link drained} instead of writing past the limit.
   */
  hasRoomFor(byteLength: number): boolean;
  /**
   * Resolves true once `hasRoomFor(byteLength)`, false once the stream is closed. A subscriber that
   * takes nothing for `stallMs` is cut off as too slow.
   */
  drained(byteLength: number, stallMs: number): Promise<boolean>;
  /** Cuts the subscriber off as too slow (`overflowed`), e.g. when frames held for it overflow. */
  cutOff(): void;
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
   * added; none without an `onInit`); frames written earlier follow it.
   */
  respond(extraHeaders?: Headers): R;
}

export interface EventStream {
  stream: ReadableStream<Uint8Array>;
  sink: EventStreamSink;
}

export function createEventStream(maxBufferedBytes: number, onCancel: () => void): EventStream {
  const sink = new FetchEventStreamSink(maxBufferedBytes, onCancel);
  return { stream: sink.stream, sink };
}

/** Frames into a Fetch `ReadableStream`, which Next (or any Fetch server) reads out. */
class FetchEventStreamSink extends BatchingSink {
  readonly stream: ReadableStream<Uint8Array>;
  private controller!: ReadableStreamDefaultController<Uint8Array>;
  private cancelled = false;
  /**
   * Bytes the reader had not taken when last asked. The queue only grows when we enqueue, so this
   * bounds it from above and spares a `desiredSize` read per frame.
   */
  private queuedAtMost = 0;

  constructor(maxBufferedBytes: number, onCancel: () => void) {
    super(maxBufferedBytes);
    this.stream = new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          this.controller = controller;
        },
        // Called as the reader takes chunks: a writer waiting for room looks again.
        pull: () => this.progressed(),
        cancel: () => {
          this.cancelled = true;
          this.abandon();
          onCancel();
        },
      },
      // desiredSize = highWaterMark − queued bytes, so it goes negative once the buffer overflows.
      { highWaterMark: maxBufferedBytes, size: (chunk) => chunk.byteLength },
    );
  }

  protected queuedBytes(pending: number): number {
    if (this.queuedAtMost + pending > this.maxBufferedBytes)
      this.queuedAtMost = this.maxBufferedBytes - (this.controller.desiredSize ?? 0);
    return this.queuedAtMost;
  }

  protected get isSending(): boolean {
    return !this.cancelled;
  }

  protected send(chunk: Uint8Array): void {
    this.queuedAtMost += chunk.byteLength;
    try {
      this.controller.enqueue(chunk);
    } catch {
      this.abandon();
    }
  }

  protected end(): void {
    try {
      this.controller.close();
    } catch {
      // already errored or cancelled by the reader
    }
  }
}
