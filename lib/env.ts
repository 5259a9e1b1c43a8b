import { z } from "zod";
import { DEFAULT_MAX_CHAT_LENGTH, MAX_CHAT_LENGTH_CEILING } from "@/lib/chat-limits";
import { adminUsersSchema } from "@/lib/auth/admin-users";

const optionalMs = z.coerce.number().int().positive().optional();
/** An endpoint's path (`/sse`), or `off`. */
const endpointPath = z
  .string()
  .regex(
    /^(?:off|(?:\/[A-Za-z0-9._~-]+)+)$/u,
    "must be a path such as /sse (letters, digits, . _ ~ -), or off",
  )
  .optional();
const flag = z
  .enum(["true", "false", "1", "0"])
  .optional()
  .transform((value) => value === "true" || value === "1");

/** Every environment variable the app reads, validated once. README's configuration table mirrors it. */
const envSchema = z.object({
  DATABASE_URL: z.string().url().optional(),
  /** A direct connection for LISTEN when DATABASE_URL goes through PgBouncer (transaction mode). */
  DATABASE_LISTEN_URL: z.string().url().optional(),
  /**
   * Redis for Server Events (`redis://` or `rediss://`). Wins over DATABASE_URL for events, sequences
   * and chat history; DATABASE_URL then still holds the users.
   */
  REDIS_URL: z
    .string()
    .url()
    .refine((url) => /^rediss?:\/\//u.test(url), "REDIS_URL must start with redis:// or rediss://")
    .optional(),
  /** Key prefix (and pub/sub topic prefix) of the Redis provider; instances sharing it form one cluster. */
  REDIS_KEY_PREFIX: z.string().min(1).optional(),
  SSE_IDLE_TIMEOUT_MS: optionalMs,
  SSE_HEARTBEAT_INTERVAL_MS: optionalMs,
  SSE_REPLAY_RETENTION_MS: optionalMs,
  SSE_HOUSEKEEPING_INTERVAL_MS: optionalMs,
  SSE_LIMIT_TO_AUTHENTICATED_USERS: flag,
  /** Where the endpoints live (`npm start`; the URLs in cmd.onConnect follow); `off` turns one off. */
  SSE_STREAM_PATH: endpointPath,
  SSE_HEARTBEAT_PATH: endpointPath,
  SSE_UNREGISTER_PATH: endpointPath,
  /** `/event-subscribers` and, below it, `/event-subscribers/{id}`. */
  SSE_SUBSCRIBERS_PATH: endpointPath,
  /** Streams end cleanly (with a `retry:` hint) after at most this long; below a host's maxDuration. */
  SSE_MAX_STREAM_DURATION_MS: z.coerce.number().int().min(1000).optional(),
  /** The `retry:` hint sent when the server ends a stream on purpose; default 500. */
  SSE_END_OF_STREAM_RETRY_MS: z.coerce.number().int().min(0).max(60_000).optional(),
  /** How long presence frames may wait to share a write (the reconnect herd); default 100, 0 for none. */
  SSE_PRESENCE_FLUSH_MS: z.coerce.number().int().min(0).max(5_000).optional(),
  /** How long a SIGTERM'd instance may take to drain before it exits regardless; default 10000. */
  SSE_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  /** `false` turns off onJoin/onLeave/onUpdate: joining a channel of N members costs N frames. */
  SSE_NOTIFY_CHANNEL_OF_SUBSCRIPTIONS: z
    .enum(["true", "false", "1", "0"])
    .optional()
    .transform((value) => value === undefined || value === "true" || value === "1"),
  /**
   * `false` lets anonymous subscriptions send what acts on other people's pages: `window.*`,
   * `document.*`, `css.*`, `cmd.toggle`/`show`/`hide` and the chat's `tv.*`.
   */
  SSE_LIMIT_REMOTE_CONTROL_TO_AUTHENTICATED_USERS: z
    .enum(["true", "false", "1", "0"])
    .optional()
    .transform((value) => value === undefined || value === "true" || value === "1"),
  /** Longest chat message in characters. */
  SSE_MAX_CHAT_LENGTH: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_CHAT_LENGTH_CEILING)
    .default(DEFAULT_MAX_CHAT_LENGTH),
  /** Distinct channels one sender may write chat history into per hour; 0 turns it off. */
  SSE_CHAT_CHANNELS_PER_HOUR: z.coerce.number().int().min(0).default(200),
  /**
   * Messages one signed-in user or guest (across all their subscriptions), or else one cookieless
   * subscription, may publish per second, bursts of twice that (guests and cookieless callers also
   * share one such budget per address); 0 turns it off.
   */
  SSE_PUBLISH_RATE_PER_SECOND: z.coerce.number().int().min(0).default(1000),
  /**
   * Subscribers `/event-subscribers` lists per second to one signed-in user, or else one address,
   * in bursts of 2.5× that; 0 turns it off.
   */
  SSE_SUBSCRIBERS_LISTED_PER_SECOND: z.coerce.number().int().min(0).default(20_000),
  /** New event streams per second per caller (a cookieless address: 4×), bursts of 10×; 0 is off. */
  SSE_STREAM_OPENS_PER_SECOND: z.coerce.number().int().min(0).default(5),
  /**
   * Event streams one instance holds open (503 with Retry-After past it); 0: no limit. The default
   * is a backstop sized for a small container: 20,000 idle streams take about 340 MB.
   */
  SSE_MAX_STREAMS: z.coerce.number().int().min(0).default(20_000),
  /** Event streams one signed-in user or guest holds open on one instance (429 past it); 0: no limit. */
  SSE_MAX_STREAMS_PER_USER: z.coerce.number().int().min(0).default(50),
  SSE_MAX_STREAMS_PER_ADDRESS: z.coerce.number().int().min(0).default(200),
  /** Whose X-Forwarded-For `npm start` believes for per-address limits (forwarded-for.ts). */
  TRUST_FORWARDED_FOR: z.enum(["private", "always", "never"]).default("private"),
  SSE_ADMIN_TOKEN: z.string().min(16, "SSE_ADMIN_TOKEN must be at least 16 characters").optional(),
  INSTANCE_ID: z.string().optional(),
  /**
   * User names (comma-separated) that have the `admin` role while they are listed: it is decided on
   * every request (lib/auth/admin-users.ts), not stored at sign-up or sign-in, so a change to the
   * list applies to sessions already open.
   */
  ADMIN_USERS: adminUsersSchema,
  /** Failed sign-ins per user name (any case) within 15 minutes before a 15-minute cool-down; default 10. */
  AUTH_MAX_FAILED_SIGNINS: z.coerce.number().int().positive().optional(),
  /** The same per client address; raise it when many people share one address (NAT, proxies). */
  AUTH_MAX_FAILED_SIGNINS_PER_ADDRESS: z.coerce.number().int().positive().optional(),
  /** Accounts created per client address within an hour; default 5. */
  AUTH_MAX_SIGNUPS_PER_ADDRESS: z.coerce.number().int().positive().optional(),
  /**
   * Passwords checked per client address and minute, right or wrong (sign-in, /account): each
   * costs ~0.1 s of a core; 0 turns the limit off; default 30.
   */
  AUTH_PASSWORD_CHECKS_PER_MINUTE: z.coerce.number().int().min(0).optional(),
  METRICS_TOKEN: z.string().min(16, "METRICS_TOKEN must be at least 16 characters").optional(),
  /** Where `npm start` listens. */
  HOSTNAME: z.string().min(1).optional(),
  PORT: z.coerce.number().int().min(1).max(65_535).optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).optional(),
  /** Set by Next (`next dev`, `next start`) and by `npm start`; read, never required. */
  NODE_ENV: z.string().min(1).optional(),
  /** The key session cookies are signed and encrypted with (lib/next/auth-secret.ts). */
  AUTH_SECRET: z.string().optional(),
  /** The site's public URL, as Auth.js reads it: its protocol decides the session cookie's name. */
  AUTH_URL: z.string().url().optional(),
  /** Auth.js's older name for AUTH_URL, honoured the same way. */
  NEXTAUTH_URL: z.string().url().optional(),
  /** `false` stops Auth.js trusting the Host header (redirects stay relative either way). */
  AUTH_TRUST_HOST: z
    .enum(["true", "false", "1", "0"])
    .optional()
    .transform((value) => value === undefined || value === "true" || value === "1"),
  /** Where the embedded user database (PGlite) keeps its files; in memory when unset. */
  PGLITE_DIR: z.string().min(1).optional(),
  /**
   * Set by Vercel (`1`) and by AWS Lambda (the function's name), where Netlify's and other
   * function hosts run too: start-up then insists on what such a host needs (docs/deploy.md).
   */
  VERCEL: z.string().optional(),
  AWS_LAMBDA_FUNCTION_NAME: z.string().optional(),
  /** Turns on the empty App Router route the benchmarks price Next's pipeline with (/bench/empty). */
  BENCH_EMPTY_ROUTE: flag,
});

export type Env = z.infer<typeof envSchema>;
type Name = keyof Env;
type Source = Readonly<Record<string, string | undefined>>;

const names = Object.keys(envSchema.shape) as Name[];

/** Thrown on a bad value: one line per bad variable, naming it and what it must be. */
export class InvalidEnvironmentError extends Error {
  override readonly name = "InvalidEnvironmentError";

  constructor(readonly problems: readonly string[]) {
    super(
      `Invalid environment (${problems.length}):\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
  }
}

type Parsed = { ok: true; value: unknown } | { ok: false; problems: string[] };

/** One variable through its schema; an empty value counts as unset. */
function parseVariable(name: Name, source: Source): Parsed {
  const given = source[name] === "" ? undefined : source[name];
  const parsed = envSchema.shape[name].safeParse(given);
  if (parsed.success) return { ok: true, value: parsed.data };
  // URLs may carry passwords, secrets and tokens are secret: their values are never echoed.
  const shown =
    given === undefined || /SECRET|TOKEN|URL/u.test(name)
      ? ""
      : ` (got ${JSON.stringify(given.slice(0, 40))})`;
  return { ok: false, problems: parsed.error.issues.map((i) => `${name}: ${i.message}${shown}`) };
}

/** Every variable of `source` at once; throws one error listing every bad one. */
export function readEnv(source: Source): Env {
  const values: Partial<Record<Name, unknown>> = {};
  const problems: string[] = [];
  for (const name of names) {
    const parsed = parseVariable(name, source);
    if (parsed.ok) values[name] = parsed.value;
    else problems.push(...parsed.problems);
  }
  if (problems.length > 0) throw new InvalidEnvironmentError(problems);
  return values as Env;
}

export interface LazyEnv {
  /** Each variable parsed on first read and kept; a bad one throws where it is read. */
  readonly env: Readonly<Env>;
  /** Parses every variable not read yet; throws one error listing every bad one. */
  readonly validate: () => void;
}

/**
 * `source` read lazily, variable by variable: a module may read its variables as it loads without
 * making the whole environment's validity its problem (start-up checks that, with `validate`).
 */
export function createEnv(source: Source): LazyEnv {
  const values = new Map<Name, unknown>();
  const read = (name: Name): unknown => {
    if (!values.has(name)) {
      const parsed = parseVariable(name, source);
      if (!parsed.ok) throw new InvalidEnvironmentError(parsed.problems);
      values.set(name, parsed.value);
    }
    return values.get(name);
  };
  const getters: PropertyDescriptorMap = {};
  for (const name of names) getters[name] = { enumerable: true, get: () => read(name) };
  return {
    env: Object.freeze(Object.defineProperties({}, getters) as Env),
    validate: () => {
      const all = readEnv(source);
      for (const name of names) if (!values.has(name)) values.set(name, all[name]);
    },
  };
}

// The one place the app reads process.env (Next-inlined NODE_ENV/NEXT_RUNTIME and tooling aside).
const processEnv = createEnv(process.env);

/** The process's environment, each variable validated once, on first read. */
export const env: Readonly<Env> = processEnv.env;

/**
 * Checks every variable now (instrumentation.ts, node-server.ts: before the first request), so a
 * bad value stops the server at start-up with one line per variable.
 */
export function validateEnv(): void {
  processEnv.validate();
}
