// @ts-check
/**
 * Subscriber worker: holds many subscriptions (raw SSE over http.get, or socket.io-client), finds
 * the benchmark marker in every message, records publish→receive latency, and answers the
 * orchestrator over IPC (connect, reset, stats, closeAll, churn).
 */
import http from "node:http";
import { io } from "socket.io-client";
import { nowMs, sleep } from "../lib/clock.mjs";
import { createHistogram, record } from "../lib/histogram.mjs";
import { readMark } from "../lib/payload.mjs";
import { serveRpc } from "../lib/rpc.mjs";

const connections = new Set();
let stats = freshStats(false);

function freshStats(trackSeqs) {
  return {
    trackSeqs,
    received: 0,
    unique: 0,
    lines: 0,
    bytes: 0,
    firstRecv: NaN,
    lastRecv: NaN,
    histogram: createHistogram(),
    closedUnexpectedly: 0,
  };
}

function onMessage(conn, head, now) {
  const mark = readMark(head);
  if (!mark) return;
  stats.received++;
  conn.count++;
  if (stats.trackSeqs) {
    if (!conn.seqs.has(mark.seq)) {
      conn.seqs.add(mark.seq);
      stats.unique++;
    }
  } else stats.unique++;
  if (!(stats.firstRecv <= now)) stats.firstRecv = now;
  stats.lastRecv = now;
  record(stats.histogram, now - mark.sent);
}

/** Splits SSE bytes into lines; only the first 200 bytes of each `data:` line are decoded. */
function onSseChunk(conn, chunk) {
  const now = nowMs();
  stats.bytes += chunk.length;
  const previous = conn.leftover;
  const buf = previous ? Buffer.concat([previous, chunk]) : chunk;
  // The leftover holds no newline (it was scanned): start after it.
  let start = previous ? previous.length : 0;
  let lineStart = 0;
  for (;;) {
    const nl = buf.indexOf(10, start);
    if (nl === -1) break;
    if (buf[lineStart] === 0x64 && buf[lineStart + 4] === 0x3a) {
      // "data:"
      stats.lines++;
      onMessage(conn, buf.toString("latin1", lineStart, Math.min(nl, lineStart + 200)), now);
    }
    lineStart = start = nl + 1;
  }
  conn.leftover = lineStart < buf.length ? buf.subarray(lineStart) : null;
}

function openSse(url) {
  return new Promise((resolve) => {
    const conn = { count: 0, seqs: new Set(), leftover: null, connected: false };
    const req = http.get(url, { agent: false, headers: { Accept: "text/event-stream" } }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        resolve({ ok: false, error: `HTTP ${res.statusCode}` });
        return;
      }
      res.on("data", (chunk) => {
        if (!conn.connected) {
          conn.connected = true;
          resolve({ ok: true, conn });
        }
        onSseChunk(conn, chunk);
      });
      res.on("close", () => {
        if (connections.delete(conn) && !conn.closing) stats.closedUnexpectedly++;
        if (!conn.connected) resolve({ ok: false, error: "closed before first frame" });
      });
    });
    req.on("error", (/** @type {NodeJS.ErrnoException} */ error) => {
      if (connections.delete(conn) && !conn.closing) stats.closedUnexpectedly++;
      resolve({ ok: false, error: error.code ?? error.message });
    });
    conn.close = () => {
      conn.closing = true;
      req.destroy();
    };
    connections.add(conn);
  });
}

function openSocketIo(base, channel) {
  return new Promise((resolve) => {
    const conn = { count: 0, seqs: new Set(), connected: false };
    const socket = io(base, {
      transports: ["websocket"],
      query: { channel },
      forceNew: true,
      reconnection: false,
      timeout: 60_000,
    });
    socket.on("ready", () => {
      conn.connected = true;
      resolve({ ok: true, conn });
    });
    socket.on("bench", (message) => {
      stats.bytes += message.length;
      stats.lines++;
      onMessage(conn, message.slice(0, 200), nowMs());
    });
    socket.on("connect_error", (error) => {
      connections.delete(conn);
      socket.close();
      resolve({ ok: false, error: error.message });
    });
    socket.on("disconnect", () => {
      if (connections.delete(conn) && !conn.closing) stats.closedUnexpectedly++;
    });
    conn.close = () => {
      conn.closing = true;
      socket.disconnect();
    };
    connections.add(conn);
  });
}

/** `{i}` (also URL-encoded) in a target stands for the subscription's index. */
const withIndex = (text, index) => text.replace(/\{i\}|%7Bi%7D/g, String(index));

function open(target, index) {
  if (target.transport === "socketio")
    return openSocketIo(target.base, withIndex(target.channel, index));
  return openSse(withIndex(target.url, index));
}

/** Opens `count` subscriptions, `concurrency` at a time; stops trying at `deadline` (epoch ms). */
async function connect({ target, count, firstIndex = 0, concurrency = 50, limitMs = 120_000 }) {
  const startedAt = nowMs();
  const deadline = Date.now() + limitMs;
  let next = 0;
  let connected = 0;
  const errors = {};
  async function lane() {
    while (next < count && Date.now() < deadline) {
      const index = firstIndex + next++;
      const result = await Promise.race([
        open(target, index),
        sleep(Math.max(0, deadline - Date.now())).then(() => ({ ok: false, error: "time limit" })),
      ]);
      if (result.ok) connected++;
      else if (result.conn) result.conn.close();
      else errors[result.error] = (errors[result.error] ?? 0) + 1;
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  return { connected, failed: count - connected, errors, ms: nowMs() - startedAt };
}

function closeAll() {
  const count = connections.size;
  for (const conn of [...connections]) {
    connections.delete(conn);
    conn.close();
  }
  return { closed: count };
}

/** Soak: keeps `open` subscriptions, replacing the oldest every `intervalMs` until `durationMs`. */
async function churn({ target, open: size, intervalMs, durationMs, firstIndex = 0 }) {
  const ring = [];
  let index = firstIndex;
  let opened = 0;
  let failed = 0;
  const openOne = async () => {
    const result = await open(target, index++);
    if (result.ok) {
      opened++;
      ring.push(result.conn);
    } else failed++;
  };
  for (let i = 0; i < size; i++) await openOne();
  const endAt = Date.now() + durationMs;
  while (Date.now() < endAt) {
    await sleep(intervalMs);
    const oldest = ring.shift();
    if (oldest) {
      connections.delete(oldest);
      oldest.close();
    }
    await openOne();
  }
  return { opened, failed, open: connections.size };
}

serveRpc({
  connect,
  reset: ({ trackSeqs = false } = {}) => {
    stats = freshStats(trackSeqs);
    for (const conn of connections) {
      conn.count = 0;
      conn.seqs = new Set();
    }
    return { open: connections.size };
  },
  stats: ({ histogram = true } = {}) => {
    let minPerConnection = Infinity;
    for (const conn of connections) minPerConnection = Math.min(minPerConnection, conn.count);
    return {
      ...stats,
      histogram: histogram ? stats.histogram : null,
      open: connections.size,
      minPerConnection: connections.size ? minPerConnection : 0,
    };
  },
  closeAll,
  churn,
});
