import { z } from "zod";
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
  /** How long a SIGTERM'd instance may take to drain before it exits regardless; default 10000. */
  SSE_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  /** `false` turns off onJoin/onLeave/onUpdate: joining a channel of N members costs N frames. */
  SSE_NOTIFY_CHANNEL_OF_SUBSCRIPTIONS: z
    .enum(["true", "false", "1", "0"])
    .optional()
    .transform((value) => value === undefined || value === "true" || value === "1"),
  /** `false` lets anonymous subscriptions send `window.*` and `css.*` messages. */
  SSE_LIMIT_REMOTE_CONTROL_TO_AUTHENTICATED_USERS: z
    .enum(["true", "false", "1", "0"])
    .optional()
    .transform((value) => value === undefined || value === "true" || value === "1"),
  /** Longest chat message in characters. */
  SSE_MAX_CHAT_LENGTH: z.coerce.number().int().min(1).max(1_000_000).default(4000),
  /** Messages one subscription may publish per second (bursts of twice that); 0 turns it off. */
  SSE_PUBLISH_RATE_PER_SECOND: z.coerce.number().int().min(0).default(1000),
  SSE_ADMIN_TOKEN: z.string().min(16, "SSE_ADMIN_TOKEN must be at least 16 characters").optional(),
  INSTANCE_ID: z.string().optional(),
  /** User names (comma-separated) that get the `admin` role when they sign up or sign in. */
  ADMIN_USERS: adminUsersSchema,
  /** Failed sign-ins per user name (any case) within 15 minutes before a 15-minute cool-down; default 10. */
  AUTH_MAX_FAILED_SIGNINS: z.coerce.number().int().positive().optional(),
  /** The same per client address; raise it when many people share one address (NAT, proxies). */
  AUTH_MAX_FAILED_SIGNINS_PER_ADDRESS: z.coerce.number().int().positive().optional(),
  /** Accounts created per client address within an hour; default 5. */
  AUTH_MAX_SIGNUPS_PER_ADDRESS: z.coerce.number().int().positive().optional(),
  METRICS_TOKEN: z.string().min(16, "METRICS_TOKEN must be at least 16 characters").optional(),
  /** Where `npm start` listens. */
  HOSTNAME: z.string().min(1).optional(),
  PORT: z.coerce.number().int().min(1).max(65_535).optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).optional(),
});

export type Env = z.infer<typeof envSchema>;

/** Thrown by {@link readEnv}: one line per bad variable, naming it and what it must be. */
export class InvalidEnvironmentError extends Error {
  override readonly name = "InvalidEnvironmentError";

  constructor(readonly problems: readonly string[]) {
    super(
      `Invalid environment (${problems.length}):\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
  }
}

export function readEnv(source: Record<string, string | undefined> = process.env): Env {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ""));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success)
    throw new InvalidEnvironmentError(
      parsed.error.issues.map((issue) => {
        const name = issue.path.join(".");
        const given = cleaned[name];
        const shown =
          given === undefined || /SECRET|TOKEN|URL/u.test(name)
            ? ""
            : ` (got ${JSON.stringify(given.slice(0, 40))})`;
        return `${name}: ${issue.message}${shown}`;
      }),
    );
  return parsed.data;
}
