import { EventEmitter } from "node:events";
import { createServer, type Server, type ServerResponse } from "node:http";
import { connect, type AddressInfo, type Socket } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createNodeEventStreamTransport, NodeEventStreamSink } from "./node-event-stream";

const frame = (text: string) => new TextEncoder().encode(text);
const bytes = (n: number) => new Uint8Array(n);
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/** Promise.withResolvers arrives in Node 22. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Just what the sink touches of a ServerResponse, with `writableLength` under the test's control. */
function fakeResponse() {
  const res = Object.assign(new EventEmitter(), {
    writableLength: 0,
    destroyed: false,
    writeHead: vi.fn(),
    flushHeaders: vi.fn(),
    write: vi.fn(),
    end: vi.fn(),
  });
  return {
    res,
    sink: (max: number) => new NodeEventStreamSink(res as unknown as ServerResponse, max),
  };
}

describe("NodeEventStreamSink", () => {
  it("sends the head with the frames written before it, then one write per event-loop turn", async () => {
    const { res, sink: create } = fakeResponse();
    const sink = create(1024);
    sink.write(frame("id: 1\ndata: a \n\n"));
    sink.start();
    expect(res.writeHead).toHaveBeenCalledWith(
      200,
      expect.objectContaining({ "Content-Type": "text/event-stream" }),
    );
    expect(res.flushHeaders).not.toHaveBeenCalled();
    expect(res.write).toHaveBeenCalledTimes(1);
    sink.write(frame("id: 2\ndata: b \n\n"));
    sink.write(frame("id: 3\ndata: c \n\n"));
    expect(res.write).toHaveBeenCalledTimes(1);
    await nextTurn();
    expect(res.write).toHaveBeenCalledTimes(2);
    expect(Buffer.from(res.write.mock.calls[1]![0] as Uint8Array).toString()).toBe(
      "id: 2\ndata: b \n\nid: 3\ndata: c \n\n",
    );
  });

  it("holds frames that may wait for later turns' company, until a frame that may not wait", async () => {
    const { res, sink: create } = fakeResponse();
    const sink = create(1024);
    sink.start();
    sink.write(frame("id: 1\ndata: lobby@cmd.onJoin {}\n\n"), 60_000);
    await nextTurn();
    sink.write(frame("id: 2\ndata: lobby@cmd.onJoin {}\n\n"), 60_000);
    await nextTurn();
    expect(res.write).not.toHaveBeenCalled();
    sink.write(frame("id: 3\ndata: lobby@cmd.chat {}\n\n"));
    await nextTurn();
    expect(res.write).toHaveBeenCalledTimes(1);
    expect(Buffer.from(res.write.mock.calls[0]![0] as Uint8Array).toString()).toBe(
      "id: 1\ndata: lobby@cmd.onJoin {}\n\nid: 2\ndata: lobby@cmd.onJoin {}\n\nid: 3\ndata: lobby@cmd.chat {}\n\n",
    );
  });

  it("flushes the headers at once when no frame is ready yet (registration waits on a database)", () => {
    const { res, sink: create } = fakeResponse();
    create(1024).start();
    expect(res.flushHeaders).toHaveBeenCalledOnce();
    expect(res.write).not.toHaveBeenCalled();
  });

  it("counts what Node has not sent yet against the limit, and cuts a slow reader off", () => {
    const { res, sink: create } = fakeResponse();
    const sink = create(100);
    sink.start();
    res.writableLength = 60;
    expect(sink.write(bytes(30))).toBe(true);
    expect(sink.write(bytes(30))).toBe(false);
    expect(sink.overflowed).toBe(true);
    expect(sink.isClosed).toBe(true);
    expect(res.end).toHaveBeenCalledOnce();
    expect(sink.write(bytes(1))).toBe(false);
  });

  it("lets one frame larger than the limit through when nothing is queued", () => {
    const { sink: create } = fakeResponse();
    const sink = create(100);
    expect(sink.write(bytes(500))).toBe(true);
    expect(sink.write(bytes(1))).toBe(false);
  });

  it("has a writer with much to send wait until Node's buffer drains, and wakes it when the socket closes", async () => {
    const { res, sink: create } = fakeResponse();
    const sink = create(100);
    sink.write(bytes(60));
    expect(sink.hasRoomFor(10)).toBe(false);
    let room: boolean | undefined;
    void sink.drained(10, 60_000).then((result) => (room = result));
    await nextTurn();
    expect(room).toBeUndefined();
    Object.assign(res, { writableLength: 60, writableNeedDrain: true });
    sink.start();
    await nextTurn();
    expect(res.write).toHaveBeenCalledOnce();
    expect(room).toBeUndefined();
    Object.assign(res, { writableLength: 0, writableNeedDrain: false });
    res.emit("drain");
    await nextTurn();
    expect(room).toBe(true);

    Object.assign(res, { writableLength: 80, writableNeedDrain: true });
    void sink.drained(10, 60_000).then((result) => (room = result));
    sink.close();
    await nextTurn();
    expect(room).toBe(false);
  });

  it("waits for room for the frame itself, looks again when Node emits no 'drain', and cuts off a reader that takes nothing", async () => {
    vi.useFakeTimers();
    try {
      const { res, sink: create } = fakeResponse();
      const sink = create(100);
      sink.start();
      // 30 queued (under half), but a 90-byte frame would pass the limit: wait.
      res.writableLength = 30;
      expect(sink.hasRoomFor(90)).toBe(false);
      let room: boolean | undefined;
      void sink.drained(90, 5_000).then((result) => (room = result));
      res.writableLength = 0;
      await vi.advanceTimersByTimeAsync(20);
      expect(room).toBe(true);

      res.writableLength = 70;
      void sink.drained(10, 5_000).then((result) => (room = result));
      await vi.advanceTimersByTimeAsync(5_100);
      expect(room).toBe(false);
      expect(sink.overflowed).toBe(true);
      expect(res.end).toHaveBeenCalledOnce();
    } finally {
      vi.useRealTimers();
    }
  });

  it("closed before the head, it sends the frames and ends when started", () => {
    const { res, sink: create } = fakeResponse();
    const sink = create(1024);
    sink.write(frame("id: 1\ndata: a \n\n"));
    sink.close();
    expect(res.end).not.toHaveBeenCalled();
    sink.start();
    expect(res.write).toHaveBeenCalledOnce();
    expect(res.end).toHaveBeenCalledOnce();
  });
});

describe("createNodeEventStreamTransport over a real socket", () => {
  let server: Server | undefined;
  let client: Socket | undefined;
  afterEach(async () => {
    client?.destroy();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    server = client = undefined;
  });

  /** A server whose one response goes to `onResponse`, and a raw client that reads nothing. */
  async function openPausedClient(onResponse: (res: ServerResponse) => void): Promise<void> {
    server = createServer((_req, res) => onResponse(res));
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    client = connect(port, "127.0.0.1");
    client.pause();
    client.write("GET /event-stream HTTP/1.1\r\nHost: test\r\n\r\n");
  }

  it("cuts off a subscriber that stops reading once Node's own buffer passes the limit", async () => {
    const opened = deferred<NodeEventStreamSink>();
    await openPausedClient((res) => {
      const transport = createNodeEventStreamTransport(res);
      const sink = transport.open(256 * 1024, () => undefined) as NodeEventStreamSink;
      transport.respond(new Headers());
      opened.resolve(sink);
    });
    const sink = await opened.promise;
    // One 64 KB frame per turn: the kernel's buffers fill first, then Node's.
    await expect
      .poll(
        async () => {
          sink.write(bytes(64 * 1024));
          await nextTurn();
          return sink.overflowed;
        },
        { timeout: 10_000, interval: 0 },
      )
      .toBe(true);
    expect(sink.isClosed).toBe(true);
  });

  it("reports the subscriber leaving, once", async () => {
    const onGone = vi.fn();
    const ready = deferred<{ res: ServerResponse; isGone: () => boolean }>();
    await openPausedClient((res) => {
      const transport = createNodeEventStreamTransport(res);
      transport.open(1024, onGone);
      transport.respond(new Headers());
      ready.resolve({ res, isGone: () => transport.isGone });
    });
    const { res, isGone } = await ready.promise;
    expect(isGone()).toBe(false);
    client!.destroy();
    await new Promise((resolve) => res.once("close", resolve));
    expect(isGone()).toBe(true);
    expect(onGone).toHaveBeenCalledOnce();
  });

  it("does not report a stream the server ended itself (unregistered, shutting down)", async () => {
    const onGone = vi.fn();
    const closed = deferred<void>();
    await openPausedClient((res) => {
      const transport = createNodeEventStreamTransport(res);
      const sink = transport.open(1024, onGone);
      transport.respond(new Headers());
      res.once("close", () => closed.resolve());
      sink.close();
    });
    client!.resume();
    await closed.promise;
    expect(onGone).not.toHaveBeenCalled();
  });
});
