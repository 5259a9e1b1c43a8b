// @ts-check
/**
 * Publisher worker: one publisher over keep-alive HTTP. For our app it first opens its own event
 * stream (on a channel nobody else uses) to get a subscription id for `from`, then POSTs
 * `/channels/<channel>/raw`; the peers take the message as the body of `POST /publish`.
 */
import http from "node:http";
import { nowMs, sleep } from "../lib/clock.mjs";
import { createHistogram, record } from "../lib/histogram.mjs";
import { makeMessage } from "../lib/payload.mjs";
import { serveRpc } from "../lib/rpc.mjs";

let target = null;
let from = null;
let agent = null;
let seq = 0;
let ownStream = null;

/** Opens this publisher's own stream on our app and returns its subscription id. */
function openOwnStream(base) {
  return new Promise((resolve, reject) => {
    const url = `${base}/event-stream?channels=benchpub${process.pid}`;
    const req = http.get(url, { agent: false }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => {
        if (from) return;
        text += chunk;
        const match = /cmd\.onConnect .*?"id":"([^"]+)"/.exec(text);
        if (match) resolve(match[1]);
      });
      res.on("close", () => reject(new Error("publisher stream closed")));
    });
    req.on("error", reject);
    ownStream = req;
  });
}

async function init({ target: t, maxSockets = 64 }) {
  target = t;
  agent?.destroy();
  agent = new http.Agent({ keepAlive: true, maxSockets });
  from = null;
  ownStream?.destroy();
  if (target.kind === "app") from = await openOwnStream(target.base);
  return { from };
}

function post(message) {
  const isApp = target.kind === "app";
  const url = isApp ? `${target.base}/channels/${target.channel}/raw` : target.url;
  const body = isApp ? JSON.stringify({ from, selector: "cmd.bench", message }) : message;
  return new Promise((resolve) => {
    const req = http.request(
      url,
      {
        method: "POST",
        agent,
        headers: {
          "Content-Type": isApp ? "application/json" : "text/plain",
          "Content-Length": Buffer.byteLength(body),
        },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => (text += chunk));
        res.on("end", () =>
          resolve(
            Number(res.statusCode) < 300 ? null : `HTTP ${res.statusCode} ${text.slice(0, 200)}`,
          ),
        );
      },
    );
    req.on("error", (/** @type {NodeJS.ErrnoException} */ error) =>
      resolve(error.code ?? error.message),
    );
    req.end(body);
  });
}

function newResult() {
  return { sent: 0, failed: 0, firstError: null, rtt: createHistogram(), startedAt: nowMs() };
}

async function publishOne(result, size) {
  const sentAt = nowMs();
  const error = await post(makeMessage(++seq, sentAt, size));
  record(result.rtt, nowMs() - sentAt);
  if (error) {
    result.failed++;
    result.firstError ??= error;
  } else result.sent++;
}

/** `count` messages as fast as possible with `inFlight` requests outstanding. */
async function burst({ count, inFlight = 8, size = 0 }) {
  const result = newResult();
  let left = count;
  async function lane() {
    while (left > 0) {
      left--;
      await publishOne(result, size);
    }
  }
  await Promise.all(Array.from({ length: Math.min(inFlight, count) }, lane));
  return { ...result, endedAt: nowMs() };
}

/** `rate` messages/s for `durationMs`; with `maxInFlight` outstanding it waits (and falls behind). */
async function paced({ rate, durationMs, size = 0, maxInFlight = 64 }) {
  const result = newResult();
  const total = Math.max(1, Math.round((rate * durationMs) / 1000));
  const interval = 1000 / rate;
  let inFlight = 0;
  let maxSeenInFlight = 0;
  const outstanding = new Set();
  for (let i = 0; i < total; i++) {
    const dueAt = result.startedAt + i * interval;
    const wait = dueAt - nowMs();
    if (wait > 1) await sleep(wait - 0.5);
    while (inFlight >= maxInFlight) await Promise.race(outstanding);
    inFlight++;
    maxSeenInFlight = Math.max(maxSeenInFlight, inFlight);
    const p = publishOne(result, size).finally(() => {
      inFlight--;
      outstanding.delete(p);
    });
    outstanding.add(p);
  }
  const lastSendAt = nowMs();
  await Promise.all(outstanding);
  const seconds = (lastSendAt - result.startedAt) / 1000;
  return {
    ...result,
    endedAt: nowMs(),
    maxInFlight: maxSeenInFlight,
    // Publishes the server accepted: an error answer (a 429, a 503) is no publish.
    achievedRate: seconds > 0 ? result.sent / seconds : NaN,
  };
}

/** `count` POST /event-heartbeat?id=<own subscription> requests, `inFlight` at a time (our app). */
function heartbeats({ count, inFlight = 8 }) {
  const path = `/event-heartbeat?id=${encodeURIComponent(from)}`;
  return requests({ path, method: "POST", count, inFlight });
}

/**
 * `count` bodiless requests to `base + path`, `inFlight` at a time, over keep-alive: what one
 * request costs the server (an empty route prices the framework's own pipeline). Any status below
 * 300 counts as sent, unless `expect` names the one status to count.
 * @param {{ path: string, method?: string, count: number, inFlight?: number, expect?: number }} options
 */
async function requests({ path, method = "GET", count, inFlight = 8, expect }) {
  const result = newResult();
  let left = count;
  const url = `${target.base}${path}`;
  async function lane() {
    while (left-- > 0) {
      const sentAt = nowMs();
      const error = await new Promise((resolve) => {
        const req = http.request(url, { method, agent }, (res) => {
          res.resume();
          res.on("end", () =>
            resolve(
              (expect === undefined ? Number(res.statusCode) < 300 : res.statusCode === expect)
                ? null
                : `HTTP ${res.statusCode}`,
            ),
          );
        });
        req.on("error", (/** @type {NodeJS.ErrnoException} */ e) => resolve(e.code ?? e.message));
        req.end();
      });
      record(result.rtt, nowMs() - sentAt);
      if (error) {
        result.failed++;
        result.firstError ??= error;
      } else result.sent++;
    }
  }
  await Promise.all(Array.from({ length: inFlight }, lane));
  return { ...result, endedAt: nowMs() };
}

serveRpc({
  init,
  heartbeats,
  requests,
  burst,
  paced,
  close: () => {
    ownStream?.destroy();
    agent?.destroy();
    return {};
  },
});
