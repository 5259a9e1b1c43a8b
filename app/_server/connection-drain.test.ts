import { Agent, createServer, request, type Server } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ConnectionDrain } from "./connection-drain";

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/**
 * A server whose `/slow` answers when `release()` is called, `/begun` sends its head at once and
 * the rest on `release()`, and everything else answers at once.
 */
async function startServer() {
  let release = () => {};
  const slowArrived = new Promise<void>((arrived) => {
    server = createServer((req, res) => {
      drain.track(res);
      if (req.url === "/slow") release = () => res.end("slow");
      else if (req.url === "/begun") {
        res.writeHead(200, { "content-length": "4" }).write("do");
        release = () => res.end("ne");
      } else return res.end("ok");
      arrived();
    });
  });
  server!.keepAliveTimeout = 60_000;
  const drain = new ConnectionDrain(server!);
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  const port = (server!.address() as AddressInfo).port;
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const get = (path: string) =>
    new Promise<{ connection: string | undefined }>((resolve, reject) => {
      request({ host: "127.0.0.1", port, path, agent }, (res) => {
        res.resume();
        res.on("end", () => resolve({ connection: res.headers.connection }));
      })
        .on("error", reject)
        .end();
    });
  return { drain, get, port, slowArrived, release: () => release(), agent };
}

describe("ConnectionDrain", () => {
  it("answers a request that was running when draining began with Connection: close", async () => {
    const { drain, get, slowArrived, release, agent } = await startServer();
    expect((await get("/fast")).connection).toBe("keep-alive");
    const slow = get("/slow");
    await slowArrived;
    drain.begin();
    release();
    // Kept alive, the proxy's pool would send its next request here, to an instance about to exit.
    expect((await slow).connection).toBe("close");
    agent.destroy();
  });

  it("closes a connection once a response that had begun when draining began is done", async () => {
    const { drain, port, slowArrived, release } = await startServer();
    const socket = connect(port, "127.0.0.1");
    const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
    let received = "";
    const headArrived = new Promise<void>((resolve) =>
      socket.on("data", (chunk: Buffer) => {
        received += chunk.toString();
        if (received.includes("\r\n\r\n")) resolve();
      }),
    );
    socket.write("GET /begun HTTP/1.1\r\nHost: localhost\r\n\r\n");
    await slowArrived;
    await headArrived;
    expect(received).toMatch(/connection: keep-alive/iu);
    drain.begin();
    release();
    // The server closes it, long before its keep-alive timeout (a minute here).
    await closed;
    expect(received).toContain("done");
  });
});
