/**
 * The write side of one subscriber's HTTP response, over a Fetch `ReadableStream` so the core runs
 * under any Fetch server. Frames are enqueued whole (one frame, one chunk: the C# client's parser
 * needs that), and the queue is bounded: a subscriber that stops reading is cut off rather than
 * growing the server's memory (it reconnects and replays from Last-Event-ID).
 */
export interface EventStreamSink {
  /** False when the subscriber was too slow and has been disconnected, or is already closed. */
  write(chunk: Uint8Array): boolean;
  close(): void;
  readonly isClosed: boolean;
  /** True when it was closed because the subscriber stopped reading. */
  readonly overflowed: boolean;
}

export interface EventStream {
  stream: ReadableStream<Uint8Array>;
  sink: EventStreamSink;
}

export function createEventStream(maxBufferedBytes: number, onCancel: () => void): EventStream {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let closed = false;
  let overflowed = false;

  const stream = new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
      },
      cancel() {
        closed = true;
        onCancel();
      },
    },
    // desiredSize = highWaterMark − queued bytes, so it goes negative once the buffer overflows.
    { highWaterMark: maxBufferedBytes, size: (chunk) => chunk.byteLength },
  );

  const sink: EventStreamSink = {
    get isClosed() {
      return closed;
    },
    get overflowed() {
      return overflowed;
    },
    write(chunk) {
      if (closed) return false;
      // One oversized frame may pass on an empty queue; anything queued behind it may not.
      const queued = maxBufferedBytes - (controller.desiredSize ?? 0);
      if (queued > 0 && queued + chunk.byteLength > maxBufferedBytes) {
        overflowed = true;
        sink.close();
        return false;
      }
      try {
        controller.enqueue(chunk);
        return true;
      } catch {
        closed = true;
        return false;
      }
    },
    close() {
      if (closed) return;
      closed = true;
      try {
        controller.close();
      } catch {
        // already errored or cancelled by the reader
      }
    },
  };
  return { stream, sink };
}
