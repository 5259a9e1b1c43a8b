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
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let closed = false;
  let cancelled = false;
  let overflowed = false;
  let batch: Uint8Array[] = [];
  let batchBytes = 0;

  const stream = new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
      },
      cancel() {
        closed = cancelled = true;
        batch = [];
        onCancel();
      },
    },
    // desiredSize = highWaterMark − queued bytes, so it goes negative once the buffer overflows.
    { highWaterMark: maxBufferedBytes, size: (chunk) => chunk.byteLength },
  );

  const flush = () => {
    if (cancelled || batch.length === 0) return;
    const chunk = batch.length === 1 ? batch[0]! : concat(batch, batchBytes);
    batch = [];
    batchBytes = 0;
    try {
      controller.enqueue(chunk);
    } catch {
      closed = true;
    }
  };

  const timing = new FlushTiming(flush);

  const sink: EventStreamSink = {
    get isClosed() {
      return closed;
    },
    get overflowed() {
      return overflowed;
    },
    write(chunk, flushWithinMs) {
      if (closed) return false;
      // One oversized frame may pass on an empty queue; anything queued behind it may not.
      const queued = maxBufferedBytes - (controller.desiredSize ?? 0) + batchBytes;
      if (queued > 0 && queued + chunk.byteLength > maxBufferedBytes) {
        overflowed = true;
        batch = [];
        sink.close();
        return false;
      }
      batch.push(chunk);
      batchBytes += chunk.byteLength;
      timing.queued(flushWithinMs);
      return true;
    },
    close() {
      if (closed) return;
      closed = true;
      flush();
      try {
        controller.close();
      } catch {
        // already errored or cancelled by the reader
      }
    },
  };
  return { stream, sink };
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
