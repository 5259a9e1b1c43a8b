import type { ServerResponse } from "node:http";
import { BatchingSink, eventStreamHeaders, type EventStreamTransport } from "@/lib/server-events";

const DRAIN_POLL_MS = 10;

/**
 * One subscriber's frames written straight to its `ServerResponse` — no web streams, so an idle
 * stream costs a socket, this object and its subscription. What is queued downstream is Node's own
 * buffer (`res.writableLength`); batching and the limit are the core's (`BatchingSink`).
 */
export class NodeEventStreamSink extends BatchingSink {
  private started = false;
  private listeningForDrain = false;

  constructor(
    private readonly res: ServerResponse,
    maxBufferedBytes: number,
  ) {
    super(maxBufferedBytes);
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
    if (!this.flush()) this.res.flushHeaders();
    if (this.isClosed) this.res.end();
    this.progressed();
  }

  protected queuedBytes(): number {
    return this.res.writableLength;
  }

  protected get isSending(): boolean {
    return this.started;
  }

  protected override waitingForDrain(): void {
    // Node emits 'drain' only after a write that went past its own high-water mark: below that,
    // look again shortly instead.
    if (this.started && !this.res.writableNeedDrain) {
      setTimeout(() => this.progressed(), DRAIN_POLL_MS).unref();
      return;
    }
    if (this.listeningForDrain) return;
    this.listeningForDrain = true;
    // 'drain' once Node's buffer has gone out; 'close' when the socket is gone instead.
    const progressed = () => this.progressed();
    this.res.on("drain", progressed);
    this.res.once("close", progressed);
  }

  protected send(chunk: Uint8Array): void {
    // A response whose socket is gone takes no more writes; its 'close' unregisters it.
    if (!this.res.destroyed) this.res.write(chunk);
  }

  /** Corked: the frames leave in one writev, each still the buffer every recipient shares. */
  protected override sendEach(chunks: readonly Uint8Array[]): void {
    if (this.res.destroyed) return;
    this.res.cork();
    for (const chunk of chunks) this.res.write(chunk);
    this.res.uncork();
  }

  /** Ends the response after the frames already written (before `start`, `start` ends it). */
  protected end(): void {
    if (this.started) this.res.end();
  }
}

/**
 * The Node transport for `openEventStream`. Create it as soon as the request arrives: a client that
 * leaves while the handler awaits (identity, sequence numbers) is then known to be gone.
 */
export function createNodeEventStreamTransport(res: ServerResponse): EventStreamTransport<void> {
  let gone = res.destroyed;
  let sink: NodeEventStreamSink | undefined;
  let onGone: (() => void) | undefined;
  let closed = false;
  const markGone = () => {
    if (closed) return;
    closed = true;
    gone = true;
    res.off("close", markGone);
    socket.off("close", markGone);
    // A response we ended ourselves (unregistered, server stopping) needs no unregister.
    if (!res.writableFinished) onGone?.();
  };
  // The socket too: a request pipelined behind another on one connection has no socket of its
  // own yet, and its response would never see 'close' if the client left before its turn.
  const socket = res.req.socket;
  res.once("close", markGone);
  socket.once("close", markGone);
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
