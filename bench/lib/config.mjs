// @ts-check
/** Every knob of `npm run bench`, read once from the environment. */
const env = process.env;
const quick = env.BENCH_QUICK === "1";

/** @param {string} name @param {number} fallback */
function int(name, fallback) {
  const value = Number(env[name]);
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : fallback;
}

/** @param {string} name @param {number[]} fallback */
function list(name, fallback) {
  const value = env[name];
  if (!value) return fallback;
  return value
    .split(",")
    .map((item) => Number(item.trim()))
    .filter((item) => Number.isFinite(item) && item > 0);
}

export const config = {
  quick,
  /** Scenarios to run, comma-separated: fanout,cross,connections,payload,soak,profile,provider. */
  only: env.BENCH_ONLY ? env.BENCH_ONLY.split(",").map((s) => s.trim()) : null,
  /**
   * Servers to run, comma-separated: app,app-node,app-pg,app-redis,bare,better-sse,socketio. Applies to
   * fan-out, to the two-instance scenarios (cross, payload: app-pg, app-redis, socketio) and to the
   * profile (app: fan-out profile, app-pg / app-redis: pair profiles).
   */
  servers: env.BENCH_SERVERS ? env.BENCH_SERVERS.split(",").map((s) => s.trim()) : null,
  runs: int("BENCH_RUNS", quick ? 1 : 3),
  fanoutN: list("BENCH_FANOUT_N", quick ? [50, 200] : [100, 1000, 5000]),
  /** Deliveries aimed for in one throughput run (messages = this / N). */
  fanoutDeliveries: int("BENCH_FANOUT_DELIVERIES", quick ? 20_000 : 200_000),
  inFlight: int("BENCH_IN_FLIGHT", 8),
  /** Subscriber worker processes (the box has 2 cores: the server needs one). */
  subscriberProcs: int("BENCH_SUB_PROCS", 2),
  /** Time limit of one scenario step (connect phase, one run). */
  stepLimitMs: int("BENCH_STEP_LIMIT_MS", quick ? 30_000 : 150_000),
  crossSubscribers: int("BENCH_CROSS_SUBS", 10),
  crossRates: list("BENCH_CROSS_RATES", [100, 1000]),
  crossSeconds: int("BENCH_CROSS_SECONDS", quick ? 2 : 5),
  connectionSteps: list("BENCH_CONN_STEPS", quick ? [200, 500] : [1000, 2500, 5000, 10_000]),
  soakMs: int("BENCH_SOAK_MS", quick ? 20_000 : 120_000),
  /** Provider scenario: messages per run (split between the instances) and loops per instance. */
  providerMessages: int("BENCH_PROVIDER_MESSAGES", quick ? 5_000 : 20_000),
  providerConcurrency: int("BENCH_PROVIDER_CONCURRENCY", 64),
  /**
   * A bench-instance bundle built elsewhere (esbuild of bench/provider/bench-instance.ts against an
   * older commit's lib/, for a before/after) instead of bundling the working tree.
   */
  providerBundle: env.BENCH_PROVIDER_BUNDLE || null,
  databaseAdminUrl: env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
  /** Redis for app-redis; each group of instances gets its own `sse:bench:<hex>:` key prefix. */
  redisUrl: env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379",
  /**
   * A previous results JSON (bench/.results/…): the report is written from it with this run's
   * scenarios and servers merged over it (e.g. BENCH_ONLY=cross,payload BENCH_SERVERS=app-redis).
   */
  merge: env.BENCH_MERGE || null,
};

/** Whether server `kind` is selected (BENCH_SERVERS unset: all are). */
/** @param {string} kind */
export function selected(kind) {
  return config.servers === null || config.servers.includes(kind);
}

/** @param {string} scenario */
export function enabled(scenario) {
  return config.only === null || config.only.includes(scenario);
}
