// @ts-check
import http from "node:http";
import net from "node:net";
import { sleep } from "./clock.mjs";

/**
 * A free TCP port on 127.0.0.1, chosen by the kernel.
 * @returns {Promise<number>}
 */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = /** @type {net.AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

/**
 * Resolves with the status of one GET, or rejects on a connection error.
 * @param {string} url
 * @returns {Promise<{ status: number | undefined, body: string }>}
 */
export function httpGet(url, timeoutMs = 5000) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, timeout: timeoutMs }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode, body }));
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
  });
}

/**
 * Polls until the server answers any HTTP request (a 404 is fine) or the child dies.
 * @param {string} url
 * @param {{ child?: import("node:child_process").ChildProcess & { label?: string }, timeoutMs?: number }} [options]
 */
export async function waitForHttp(url, { child, timeoutMs = 60_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child && (child.exitCode !== null || child.signalCode !== null))
      throw new Error(`${child.label} exited (${child.exitCode ?? child.signalCode}) before ready`);
    try {
      await httpGet(url, 2000);
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`${url} not ready after ${timeoutMs} ms`);
      await sleep(100);
    }
  }
}
