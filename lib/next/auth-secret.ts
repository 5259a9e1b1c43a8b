import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { env as processEnv, type Env } from "@/lib/env";

const LOOPBACK_HOSTS = new Set(["", "127.0.0.1", "localhost", "::1"]);
const secretFile = path.join(process.cwd(), ".next", "cache", "auth-secret");

let cached: string | undefined;

/**
 * The key that signs and encrypts session cookies.
 *
 * - `AUTH_SECRET` when set (generate one with `openssl rand -base64 32`).
 * - Otherwise, for `next dev` and for a server bound to loopback (`npm start` / `npm run demo`,
 *   whose default `HOSTNAME` is 127.0.0.1), a random secret generated once and kept in the
 *   git-ignored `.next/cache/auth-secret` (kept across builds), so sign-ins survive restarts with zero setup.
 * - A production server bound to any other host must set `AUTH_SECRET`: a generated secret
 *   would differ between instances and sign everyone out on every deploy.
 */
export function resolveAuthSecret(
  env: Pick<Env, "AUTH_SECRET" | "NODE_ENV" | "HOSTNAME"> = processEnv,
): string {
  if (env.AUTH_SECRET) return env.AUTH_SECRET;
  if (cached) return cached;
  const isLocal = env.NODE_ENV !== "production" || LOOPBACK_HOSTS.has(env.HOSTNAME ?? "");
  if (!isLocal)
    throw new Error(
      "AUTH_SECRET is required in production: set it to the output of `openssl rand -base64 32` " +
        "(the same value on every instance).",
    );
  cached = readOrCreateSecret();
  return cached;
}

function readOrCreateSecret(): string {
  try {
    const existing = readFileSync(secretFile, "utf8").trim();
    if (existing.length >= 32) return existing;
  } catch {
    // Not created yet.
  }
  const secret = randomBytes(32).toString("base64");
  try {
    mkdirSync(path.dirname(secretFile), { recursive: true });
    writeFileSync(secretFile, secret, { mode: 0o600 });
  } catch {
    // A read-only checkout still works; sessions then last as long as the process.
  }
  return secret;
}
