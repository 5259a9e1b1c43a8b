import { createServer, type Server, type ServerResponse } from "node:http";
import { connect, type AddressInfo, type Socket } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  MIN_READ_BYTES_PER_SECOND,
  RESPONSE_WRITE_TIMEOUT_MS,
  sendResponse,
  writeDeadlineMs,
} from "./node-response";

// Far more than the loopback's socket buffers hold, so an unread answer stays unfinished.
const LARGE_BODY = "x".repeat(64 * 1024 * 1024);

let server: Server | undefined;
let client: Socket | undefined;

afterEach(async () => {
  vi.useRealTimers();
  client?.destroy();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = client = undefined;
});

/** A server answering every request with `body`; resolves with each answer once it is sent. */
async function answering(body: string) {
  const sent: Promise<ServerResponse>[] = [];
  const connections: Socket[] = [];
  server = createServer((_req, res) => {
    sent.push(sendResponse(res, new Response(body)).then(() => res));
  });
  server.on("connection", (socket) => connections.push(socket));
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { port, sent, connections };
}

function request(port: number, read: boolean): Promise<Socket> {
  return new Promise((resolve) => {
    client = connect(port, "127.0.0.1", () => {
      client!.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
      resolve(client!);
    });
    if (!read) client.pause();
  });
}

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setImmediate(resolve));
}

describe("writeDeadlineMs", () => {
  it("gives a slow but steady reader time in proportion to the answer's size", () => {
    expect(writeDeadlineMs(0)).toBe(RESPONSE_WRITE_TIMEOUT_MS);
    expect(writeDeadlineMs(60 * MIN_READ_BYTES_PER_SECOND)).toBe(
      RESPONSE_WRITE_TIMEOUT_MS + 60_000,
    );
    // The largest history answer (6 MB) on a 16 KB/s link.
    expect(writeDeadlineMs(6 * 1024 * 1024)).toBeGreaterThan(6 * 60_000);
  });
});

describe("sendResponse", () => {
  it("closes the connection of a client that does not read its answer in time", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const { port, sent } = await answering(LARGE_BODY);
    await request(port, false);
    await until(() => sent.length === 1);
    const res = await sent[0]!;
    expect(res.writableFinished).toBe(false);

    vi.advanceTimersByTime(writeDeadlineMs(LARGE_BODY.length) - 1);
    expect(res.destroyed).toBe(false);
    vi.advanceTimersByTime(1);
    expect(res.destroyed).toBe(true);
  });

  it("leaves a client that reads its answer alone", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const { port, sent, connections } = await answering(LARGE_BODY);
    const socket = await request(port, true);
    let received = 0;
    socket.on("data", (chunk: Buffer) => (received += chunk.byteLength));
    await until(() => sent.length === 1);
    const res = await sent[0]!;
    await until(() => res.writableFinished);

    vi.advanceTimersByTime(writeDeadlineMs(LARGE_BODY.length));
    await until(() => received >= LARGE_BODY.length);
    expect(connections[0]!.destroyed).toBe(false);
  });
});
