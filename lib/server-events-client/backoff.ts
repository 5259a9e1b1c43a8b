/** Reconnect back-off settings. */
export interface BackoffOptions {
  /** Ceiling of the first delay. @default 500 */
  initialDelayMs?: number;
  /** Largest ceiling, whatever the attempt. @default 30000 */
  maxDelayMs?: number;
  /** Growth of the ceiling per failed attempt. @default 2 */
  factor?: number;
  /**
   * Full jitter: wait a uniformly random time in `[0, ceiling)` instead of the ceiling itself, so
   * that thousands of clients dropped by one server restart do not all come back in the same
   * millisecond. @default true
   * @see https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
   */
  jitter?: boolean;
  /** Source of randomness in `[0, 1)`, injectable for tests. @default Math.random */
  random?: () => number;
}

export interface Backoff {
  /** The delay before the next attempt; each call counts one more failed attempt. */
  next(): number;
  /** Forget failed attempts; call only once a connection has lasted a while after onConnect. */
  reset(): void;
  /** Failed attempts since the last reset. */
  readonly attempt: number;
}

/** Capped exponential back-off with optional full jitter. */
export function createBackoff(options: BackoffOptions = {}): Backoff {
  const initialDelayMs = options.initialDelayMs ?? 500;
  const maxDelayMs = options.maxDelayMs ?? 30_000;
  const factor = options.factor ?? 2;
  const jitter = options.jitter ?? true;
  const random = options.random ?? Math.random;
  let attempt = 0;
  return {
    next() {
      // Math.min before the power would overflow: factor ** 1100 is Infinity, min() keeps it capped.
      const ceiling = Math.min(maxDelayMs, initialDelayMs * factor ** attempt);
      attempt++;
      return jitter ? Math.floor(random() * ceiling) : ceiling;
    },
    reset() {
      attempt = 0;
    },
    get attempt() {
      return attempt;
    },
  };
}
