import type { Env } from "@/lib/env";
import {
  inMemoryAttemptCounters,
  type AttemptCounter,
  type AttemptCounters,
} from "./attempt-counter";
import { signInNameKey as nameKey } from "./device-cookie";
import type { RateLimitVerdict } from "./attempt-limiter";
import { RateLimiter } from "@/lib/server-events";

const MINUTE_MS = 60_000;
/** Password checks a minute for browsers known to a name, once their address has none left. */
const KNOWN_BROWSER_CHECKS_PER_MINUTE = 5;
const SIGN_IN_WINDOW_MS = 15 * MINUTE_MS;
const SIGN_UP_WINDOW_MS = 60 * MINUTE_MS;

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
  /**
   * Passwords checked per client address and minute, right or wrong, in bursts of as many: a
   * check is ~0.1 s of bcrypt on the main thread, and a right password takes its failure back,
   * so without this anyone could sign in to their own account in a loop and take the server's
   * cores. Counted in this process only: it guards this process's CPU. 0 turns it off.
   * @default 30
   */
  maxPasswordChecksPerMinute: number;
}

export function resolveAuthLimits(env: Env): AuthLimits {
  return {
    maxFailedSignInsPerName: env.AUTH_MAX_FAILED_SIGNINS ?? 10,
    maxFailedSignInsPerAddress: env.AUTH_MAX_FAILED_SIGNINS_PER_ADDRESS ?? 10,
    maxSignUpsPerAddress: env.AUTH_MAX_SIGNUPS_PER_ADDRESS ?? 5,
    maxPasswordChecksPerMinute: env.AUTH_PASSWORD_CHECKS_PER_MINUTE ?? 30,
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

/** A sign-in attempt counted before its password is checked, or the refusal of one. */
export type SignInAttempt =
  | {
      allowed: true;
      /** Whether the next attempt will be refused if this one fails. */
      after: RateLimitVerdict;
      /** The password was right: clears the count the attempt was judged by (see `begin`). */
      succeeded(): Promise<void>;
    }
  | { allowed: false; retryAfterMs: number };

/** An account about to be created, counted before it is, or the refusal of one. */
export type SignUpAttempt =
  | {
      allowed: true;
      /** No account was made after all: takes the count back. */ forgive(): Promise<void>;
    }
  | { allowed: false; retryAfterMs: number };

/**
 * Failed sign-ins per user name and per client address (`undefined` skips the address); from a
 * browser that has signed in to the name before (`device`, its device cookie's id), per that
 * browser instead: an attacker who locks a name out does not lock out its owner's own browsers.
 */
export class SignInThrottle {
  readonly #byName: AttemptCounter;
  readonly #byAddress: AttemptCounter;
  readonly #byDevice: AttemptCounter;
  readonly #checksByAddress: RateLimiter | undefined;
  readonly #checksByKnownName: RateLimiter | undefined;

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
    const perMinute = limits.maxPasswordChecksPerMinute;
    this.#checksByAddress =
      perMinute > 0
        ? new RateLimiter({ perSecond: perMinute / 60, burst: perMinute }, now)
        : undefined;
    this.#checksByKnownName =
      perMinute > 0
        ? new RateLimiter({ perSecond: KNOWN_BROWSER_CHECKS_PER_MINUTE / 60, burst: 5 }, now)
        : undefined;
  }

  /**
   * How long until this address may have another password checked (0: now). A browser that
   * signed in to the name before still gets a few a minute when its address has none left, so
   * whoever spends a shared address's checks (a neighbour on the same NAT) cannot keep the
   * account's owner out; per name, so that collecting device cookies buys nothing more.
   */
  #paceMs(name: string, address: string | undefined, device: string | undefined): number {
    if (address === undefined || this.#checksByAddress === undefined) return 0;
    const waitMs = this.#checksByAddress.take(address);
    if (waitMs === 0 || device === undefined) return waitMs;
    return this.#checksByKnownName!.take(nameKey(name)) === 0 ? 0 : waitMs;
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

  /**
   * Counts an attempt as a failure before its password is checked, or refuses it uncounted when
   * the name or the address (or the trusted browser) is locked. Counting first is what holds the
   * limit against many attempts at once: each one is counted before the next is judged.
   *
   * `succeeded()` then clears the count the attempt was judged by, which only someone who knows
   * the password can do. From a known browser that is the browser's alone (clearing the name's
   * would hand whoever locked it ten fresh guesses). The address only takes back this attempt and
   * keeps its failures, or an attacker could sign in to their own account between guesses to
   * reset it.
   */
  async begin(name: string, address: string | undefined, device?: string): Promise<SignInAttempt> {
    const paceMs = this.#paceMs(name, address, device);
    if (paceMs > 0) return { allowed: false, retryAfterMs: paceMs };
    if (device !== undefined) {
      const key = deviceKey(name, device);
      const byDevice = await this.#byDevice.attempt(key);
      if (!byDevice.allowed) return byDevice;
      return { allowed: true, after: byDevice.after, succeeded: () => this.#byDevice.reset(key) };
    }
    const key = nameKey(name);
    const byName = await this.#byName.attempt(key);
    if (!byName.allowed) return byName;
    const byAddress = address === undefined ? undefined : await this.#byAddress.attempt(address);
    if (byAddress && !byAddress.allowed) {
      await this.#byName.forgive(key, byName.at);
      return byAddress;
    }
    return {
      allowed: true,
      after: strictest([byName.after, ...(byAddress ? [byAddress.after] : [])]),
      succeeded: async () => {
        await this.#byName.reset(key);
        if (address !== undefined && byAddress)
          await this.#byAddress.forgive(address, byAddress.at);
      },
    };
  }
}

const deviceKey = (name: string, device: string) => `${nameKey(name)}|${device}`;

/**
 * Accounts created per client address (`undefined` is not limited; see
 * lib/server-events/http/client-address.ts), counted before each is created, so that sign-ups
 * sent at once cannot all pass.
 */
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

  async begin(address: string | undefined): Promise<SignUpAttempt> {
    if (address === undefined) return { allowed: true, forgive: () => Promise.resolve() };
    const verdict = await this.#byAddress.attempt(address);
    if (!verdict.allowed) return verdict;
    return { allowed: true, forgive: () => this.#byAddress.forgive(address, verdict.at) };
  }
}

/** "1 minute", "15 minutes": rounded up, so nobody is told to come back before they may. */
export function formatWait(retryAfterMs: number): string {
  const minutes = Math.max(1, Math.ceil(retryAfterMs / MINUTE_MS));
  return minutes === 1 ? "1 minute" : `${minutes} minutes`;
}

export const tooManyFailedSignInsMessage = (retryAfterMs: number) =>
  `Too many attempts; try again in ${formatWait(retryAfterMs)}`;

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
