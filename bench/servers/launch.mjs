// @ts-check
import { existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { forkWorker, spawnLogged, stopChild } from "../lib/children.mjs";
import { sleep } from "../lib/clock.mjs";
import { freePort, waitForHttp } from "../lib/net.mjs";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const resultsDir = path.join(root, "bench/.results");
const logsDir = path.join(resultsDir, "logs");

/**
 * Our app under each provider: memory, Postgres (DATABASE_URL), Redis (REDIS_URL), served by
 * `next start` (the App Router route handlers); and `app-node`: `npm start`'s one-process Node
 * server (app/_server/node-server.ts), memory provider, whose own http server answers Server Events.
 */
export const appKinds = new Set([
  "app",
  "app-pg",
  "app-redis",
  "app-node",
  "app-node-pg",
  "app-node-redis",
]);

/** The provider a kind of our app runs on: `-pg` Postgres, `-redis` Redis, else memory. */
export const providerOf = (kind) =>
  kind.endsWith("-pg") ? "postgres" : kind.endsWith("-redis") ? "redis" : "memory";

/** What `npm run build` bundles app/_server/node-server.ts into; `npm start` runs it. */
export const nodeServerBundle = path.join(root, ".next/fast-server/server.mjs");

/** Labels used in tables. */
export const serverNames = {
  app: "our app (next start, memory)",
  "app-node": "our app (Node server, memory)",
  "app-pg": "our app (next start, Postgres)",
  "app-redis": "our app (next start, Redis)",
  "app-node-pg": "our app (Node server, Postgres)",
  "app-node-redis": "our app (Node server, Redis)",
  bare: "bare node:http",
  "better-sse": "better-sse 0.16.1",
  socketio: "socket.io 4.8.4 + postgres-adapter",
};

const scripts = {
  bare: "servers/bare.mjs",
  "better-sse": "servers/better-sse.mjs",
  socketio: "servers/socketio.mjs",
};

const buildIdFile = path.join(root, ".next/BUILD_ID");
/** Every build our app was started from during this run (more than one: someone rebuilt). */
export const buildIdsSeen = new Set();

/** The current build id, after waiting for a `next build` someone else runs to finish. */
export async function settledBuildId({ limitMs = 240_000 } = {}) {
  const deadline = Date.now() + limitMs;
  for (;;) {
    try {
      // A build in progress rewrites .next; BUILD_ID is written last. Wait until it is 10 s old.
      const age = Date.now() - statSync(buildIdFile).mtimeMs;
      if (age > 10_000) return readFileSync(buildIdFile, "utf8").trim();
    } catch {
      // no build (yet)
    }
    if (Date.now() > deadline) throw new Error("no settled .next build (someone else building?)");
    await sleep(2000);
  }
}

/**
 * @typedef {object} LaunchOptions
 * @property {string} [databaseUrl] Postgres for app-pg, app-node-pg and socketio
 * @property {{ url: string, prefix: string }} [redis] for the Redis kinds
 * @property {string} [label] names the instance (logs, INSTANCE_ID)
 * @property {string} [cpuProfDir] our app: run with --cpu-prof, profiles written here
 * @property {Record<string, string>} [env] added to the server's environment
 */

/**
 * Starts one server under test on 127.0.0.1:<random port> and waits until it answers HTTP.
 * kind: app | app-pg | app-redis | bare | better-sse | socketio. `databaseUrl` is needed by app-pg
 * and socketio; `redis: { url, prefix }` by app-redis (instances sharing a prefix form one cluster).
 * Our app is retried when it fails to start, which happens while someone else rebuilds `.next`.
 * @param {string} kind
 * @param {LaunchOptions} [options]
 */
export async function launch(kind, options = {}) {
  if (!appKinds.has(kind)) return launchOnce(kind, options);
  for (let attempt = 1; ; attempt++) {
    const buildId = await settledBuildId();
    try {
      const server = await launchOnce(kind, options);
      buildIdsSeen.add(buildId);
      return { ...server, buildId };
    } catch (error) {
      if (attempt >= 4) throw error;
      console.error(`[bench] ${options.label ?? kind} did not start (${error.message}); retrying`);
      await sleep(5000);
    }
  }
}

/** @param {string} kind @param {LaunchOptions} [options] */
async function launchOnce(kind, { databaseUrl, redis, label = kind, cpuProfDir, env = {} } = {}) {
  mkdirSync(logsDir, { recursive: true });
  const port = await freePort();
  const logFile = path.join(logsDir, `${label}-${port}.log`);
  let child;
  if (appKinds.has(kind)) {
    if (providerOf(kind) === "redis" && !redis?.prefix)
      throw new Error(`${kind} needs redis.url and a prefix`);
    const appEnv = {
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      // Bench subscribers do not POST heartbeats: keep them from being expired after 30 s.
      SSE_IDLE_TIMEOUT_MS: "3600000",
      // The bench's publisher is one subscription sending thousands a second: lift the
      // per-subscription publish limit (1,000/s) that protects a real deployment from one sender.
      SSE_PUBLISH_RATE_PER_SECOND: "0",
      // Its thousands of subscribers come from one address without cookies: no per-address limit.
      SSE_MAX_STREAMS_PER_ADDRESS: "0",
      // …nor on how many one instance holds: the connection steps go past any default backstop.
      SSE_MAX_STREAMS: "0",
      // …and open them thousands at a time: no limit on how fast one address opens streams.
      SSE_STREAM_OPENS_PER_SECOND: "0",
      INSTANCE_ID: label,
      DATABASE_URL: providerOf(kind) === "postgres" ? databaseUrl : "",
      REDIS_URL: providerOf(kind) === "redis" ? redis?.url : "",
      REDIS_KEY_PREFIX: providerOf(kind) === "redis" ? redis?.prefix : "",
      // app/bench/empty answers 204 (Next's floor) only with this set.
      BENCH_EMPTY_ROUTE: "1",
      HOSTNAME: "127.0.0.1",
      PORT: String(port),
      ...env,
    };
    const serve = kind.startsWith("app-node")
      ? [nodeServerBundle]
      : ["node_modules/next/dist/bin/next", "start", "-H", "127.0.0.1", "-p", String(port)];
    child = spawnLogged(
      process.execPath,
      // --cpu-prof is refused in NODE_OPTIONS: it goes on the command line (both are one process).
      [...(cpuProfDir ? ["--cpu-prof", `--cpu-prof-dir=${cpuProfDir}`] : []), ...serve],
      { cwd: root, env: appEnv, label, logFile },
    );
  } else {
    const script = path.join(root, "bench", scripts[kind]);
    if (!existsSync(script)) throw new Error(`unknown server kind ${kind}`);
    child = forkWorker(script, [], {
      env: { PORT: String(port), DATABASE_URL: databaseUrl ?? "", ...env },
      label,
      logFile,
    });
  }
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(`${base}/__bench_ready`, { child, timeoutMs: 60_000 });
  return {
    kind,
    label,
    base,
    pid: child.pid,
    child,
    logFile,
    /** What a subscriber worker needs to open one subscription to `channel`. */
    subscribeTarget(channel) {
      if (kind === "socketio") return { transport: "socketio", base, channel };
      const url = appKinds.has(kind)
        ? `${base}/event-stream?channels=${encodeURIComponent(channel)}`
        : `${base}/sse?channel=${encodeURIComponent(channel)}`;
      return { transport: "sse", url };
    },
    /** What the publisher worker needs to publish to `channel`. */
    publishTarget(channel) {
      return appKinds.has(kind)
        ? { kind: "app", base, channel }
        : { kind: "http", base, url: `${base}/publish?channel=${encodeURIComponent(channel)}` };
    },
    stop: () => stopChild(child, { graceMs: 8000 }),
  };
}
