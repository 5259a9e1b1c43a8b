import type { ServerResponse } from "node:http";
import {
  eventStreamHeaders,
  FlushTiming,
  type EventStreamSink,
  type EventStreamTransport,
} from "@/lib/server-events";

/**
 * One subscriber's frames written straight to its `ServerResponse` — no web streams, so an idle
 * stream costs a socket, this object and its subscription. What is queued (Node's own buffer,
 * `res.writableLength`, plus this turn's frames) stays under `maxBufferedBytes`: a subscriber that
 * stops reading is cut off and replays from Last-Event-ID when it reconnects. The frames of one
 * event-loop turn go out as one write, like the Fetch sink's one chunk (lib/server-events).
 */
export class NodeEventStreamSink implements EventStreamSink {
  private batch: Uint8Array[] = [];
  private batchBytes = 0;
  private closed = false;
  private tooSlow = false;
  private started = false;
  private readonly timing: FlushTiming;

  constructor(
    private readonly res: ServerResponse,
    private readonly maxBufferedBytes: number,
  ) {
    this.timing = new FlushTiming(this.flush);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  get overflowed(): boolean {
    return this.tooSlow;
  }

  write(chunk: Uint8Array, flushWithinMs?: number): boolean {
    if (this.closed) return false;
    // One oversized frame may pass on an empty queue; anything queued behind it may not.
    const queued = this.res.writableLength + this.batchBytes;
    if (queued > 0 && queued + chunk.byteLength > this.maxBufferedBytes) {
      this.tooSlow = true;
      this.batch = [];
      this.batchBytes = 0;
      this.close();
      return false;
    }
    this.batch.push(chunk);
    this.batchBytes += chunk.byteLength;
    if (this.started) this.timing.queued(flushWithinMs);
    return true;
  }

  /**
   * Sends the 200 and the event-stream headers: with the frames written so far in the same packet
   * (the memory provider has written `cmd.onConnect` by now), or on their own at once when
   * registration still waits on a database.
   */
  start(extraHeaders?: Headers): void {
    if (this.started) return;
    this.started = true;
    if (this.res.destroyed) return;
    // onInit's headers first: the event-stream ones win.
    const hasExtra = extraHeaders !== undefined && !extraHeaders.keys().next().done;
    this.res.writeHead(
      200,
      hasExtra
        ? { ...Object.fromEntries(extraHeaders), ...eventStreamHeaders }
        : eventStreamHeaders,
    );
    if (this.batch.length > 0) this.flush();
    else this.res.flushHeaders();
    if (this.closed) this.res.end();
  }

  /** Ends the response after the frames already written (before `start`, `start` ends it). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (!this.started) return;
    this.flush();
    this.res.end();
  }

  private readonly flush = (): void => {
    if (this.batch.length === 0) return;
    const chunk =
      this.batch.length === 1 ? this.batch[0]! : Buffer.concat(this.batch, this.batchBytes);
    this.batch = [];
    this.batchBytes = 0;
    // A response whose socket is gone takes no more writes; its 'close' unregisters it.
    if (!this.res.destroyed) this.res.write(chunk);
  };
}

/**
 * The Node transport for `openEventStream`. Create it as soon as the request arrives: a client that
 * leaves while the handler awaits (identity, sequence numbers) is then known to be gone.
 */
export function createNodeEventStreamTransport(res: ServerResponse): EventStreamTransport<void> {
  let gone = res.destroyed;
  let sink: NodeEventStreamSink | undefined;
  let onGone: (() => void) | undefined;
  res.once("close", () => {
    gone = true;
    // A response we ended ourselves (unregistered, server stopping) needs no unregister.
    if (!res.writableFinished) onGone?.();
  });
  // Errors on a dying socket are reported by 'close'; an unhandled 'error' would crash the server.
  res.on("error", () => undefined);
  return {
    open(maxBufferedBytes, callback) {
      onGone = callback;
      sink = new NodeEventStreamSink(res, maxBufferedBytes);
      return sink;
    },
    get isGone() {
      return gone || res.destroyed;
    },
    respond(extraHeaders) {
      sink?.start(extraHeaders);
    },
  };
}
