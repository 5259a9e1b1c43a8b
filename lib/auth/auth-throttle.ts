import type { Env } from "@/lib/env";
import {
  inMemoryAttemptCounters,
  type AttemptCounter,
  type AttemptCounters,
} from "./attempt-counter";
import { signInNameKey as nameKey } from "./device-cookie";
import type { RateLimitVerdict } from "./rate-limiter";

const MINUTE_MS = 60_000;
export const SIGN_IN_WINDOW_MS = 15 * MINUTE_MS;
export const SIGN_UP_WINDOW_MS = 60 * MINUTE_MS;

export interface AuthLimits {
  /** Failed sign-ins per user name within 15 minutes that start a 15-minute cool-down. @default 10 */
  maxFailedSignInsPerName: number;
  /**
   * The same per client address (see lib/server-events/http/client-address.ts). It guards against one client trying a
   * few passwords on many names, which the per-name limit cannot see.
   *
   * The default equals the per-name one: for this demo a shared address (an office NAT, a
   * carrier-grade NAT) seldom produces ten failures in 15 minutes, and a lower bar for spraying
   * matters more. Deployments behind a shared address raise `AUTH_MAX_FAILED_SIGNINS_PER_ADDRESS`
   * rather than turn it off. Test suites whose browsers all come from 127.0.0.1 keep their failed
   * sign-ins under another address (e2e/auth-abuse.spec.ts sends its own X-Forwarded-For), so one
   * spec's lockout never reaches the next.
   * @default 10
   */
  maxFailedSignInsPerAddress: number;
  /** Accounts created per client address within an hour. @default 5 */
  maxSignUpsPerAddress: number;
}

export function resolveAuthLimits(env: Env): AuthLimits {
  return {
    maxFailedSignInsPerName: env.AUTH_MAX_FAILED_SIGNINS ?? 10,
    maxFailedSignInsPerAddress: env.AUTH_MAX_FAILED_SIGNINS_PER_ADDRESS ?? 10,
    maxSignUpsPerAddress: env.AUTH_MAX_SIGNUPS_PER_ADDRESS ?? 5,
  };
}

/** The most restrictive of several verdicts: blocked if any is, for the longest wait. */
function strictest(verdicts: RateLimitVerdict[]): RateLimitVerdict {
  let result: RateLimitVerdict = { allowed: true };
  for (const verdict of verdicts) {
    if (!verdict.allowed && (result.allowed || verdict.retryAfterMs > result.retryAfterMs))
      result = verdict;
  }
  return result;
}

export interface ThrottleOptions {
  /** Where attempts are counted. @default inMemoryAttemptCounters */
  counters?: AttemptCounters;
  /** The clock, injectable for tests. @default Date.now */
  now?: () => number;
}

/**
 * Failed sign-ins per user name and per client address (`undefined` skips the address); from a
 * browser that has signed in to the name before (`device`, its device cookie's id), per that
 * browser instead: an attacker who locks a name out does not lock out its owner's own browsers.
 */
export class SignInThrottle {
  readonly #byName: AttemptCounter;
  readonly #byAddress: AttemptCounter;
  readonly #byDevice: AttemptCounter;

  constructor(
    limits: AuthLimits,
    { counters = inMemoryAttemptCounters, now }: ThrottleOptions = {},
  ) {
    const window = { windowMs: SIGN_IN_WINDOW_MS, ...(now ? { now } : {}) };
    this.#byName = counters("signin:name", { limit: limits.maxFailedSignInsPerName, ...window });
    this.#byAddress = counters("signin:address", {
      limit: limits.maxFailedSignInsPerAddress,
      ...window,
    });
    this.#byDevice = counters("signin:device", {
      limit: limits.maxFailedSignInsPerName,
      ...window,
    });
  }

  /** Whether this name may try to sign in from this address (or this trusted browser) now. */
  async check(
    name: string,
    address: string | undefined,
    device?: string,
  ): Promise<RateLimitVerdict> {
    if (device !== undefined) return this.#byDevice.check(deviceKey(name, device));
    const byAddress = address === undefined ? [] : [this.#byAddress.check(address)];
    return strictest(await Promise.all([this.#byName.check(nameKey(name)), ...byAddress]));
  }

  /** Counts a wrong password; the verdict says whether the next attempt will be refused. */
  async recordFailure(
    name: string,
    address: string | undefined,
    device?: string,
  ): Promise<RateLimitVerdict> {
    if (device !== undefined) return this.#byDevice.hit(deviceKey(name, device));
    const byAddress = address === undefined ? [] : [this.#byAddress.hit(address)];
    return strictest(await Promise.all([this.#byName.hit(nameKey(name)), ...byAddress]));
  }

  /**
   * Clears the count the attempt was judged by: only someone who knows the password can do this.
   * From a known browser that is the browser's alone (clearing the name's would hand whoever
   * locked it ten fresh guesses). The address keeps its count, or an attacker could sign in to
   * their own account between guesses to reset it.
   */
  async recordSuccess(name: string, device?: string): Promise<void> {
    if (device !== undefined) await this.#byDevice.reset(deviceKey(name, device));
    else await this.#byName.reset(nameKey(name));
  }
}

const deviceKey = (name: string, device: string) => `${nameKey(name)}|${device}`;

/** Accounts created per client address (`undefined` is not limited; see lib/server-events/http/client-address.ts). */
export class SignUpThrottle {
  readonly #byAddress: AttemptCounter;

  constructor(
    limits: AuthLimits,
    { counters = inMemoryAttemptCounters, now }: ThrottleOptions = {},
  ) {
    this.#byAddress = counters("signup:address", {
      limit: limits.maxSignUpsPerAddress,
      windowMs: SIGN_UP_WINDOW_MS,
      ...(now ? { now } : {}),
    });
  }

  check(address: string | undefined): Promise<RateLimitVerdict> {
    return address === undefined
      ? Promise.resolve({ allowed: true })
      : this.#byAddress.check(address);
  }

  async recordAccount(address: string | undefined): Promise<void> {
    if (address !== undefined) await this.#byAddress.hit(address);
  }
}

/** "1 minute", "15 minutes": rounded up, so nobody is told to come back before they may. */
export function formatWait(retryAfterMs: number): string {
  const minutes = Math.max(1, Math.ceil(retryAfterMs / MINUTE_MS));
  return minutes === 1 ? "1 minute" : `${minutes} minutes`;
}

export const tooManyFailedSignInsMessage = (retryAfterMs: number) =>
  `Too many failed attempts; try again in ${formatWait(retryAfterMs)}`;

export const tooManySignUpsMessage = (retryAfterMs: number) =>
  `Too many new accounts from your network; try again in ${formatWait(retryAfterMs)}`;

export interface AuthThrottles {
  signIn: SignInThrottle;
  signUp: SignUpThrottle;
}

/** Both throttles, counting in `counters` (db/auth-attempts.ts picks them for the app). */
export function createAuthThrottles(
  limits: AuthLimits,
  options: ThrottleOptions = {},
): AuthThrottles {
  return {
    signIn: new SignInThrottle(limits, options),
    signUp: new SignUpThrottle(limits, options),
  };
}
