export interface WaitOptions {
  /** @default 15000 */
  timeoutMs?: number;
  /** Shown in the timeout error (a function is called when the wait times out). */
  message?: string | (() => string);
  /** @default 10 */
  intervalMs?: number;
}

/**
 * Resolves once `condition()` is truthy (polled every `intervalMs`), with its value; rejects with
 * `message` (and the last error thrown by `condition`, if any) after `timeoutMs`.
 */
export async function waitFor<T>(
  condition: () => T | Promise<T>,
  options: WaitOptions = {},
): Promise<NonNullable<T>> {
  const { timeoutMs = 15_000, intervalMs = 10, message = "condition" } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await condition();
      if (value !== undefined && value !== null && value !== false && value !== 0 && value !== "")
        return value;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const detail = lastError instanceof Error ? `: ${lastError.message}` : "";
      const what = typeof message === "function" ? message() : message;
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${detail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Waits until `read()` reaches at least `count`, then returns its value. */
export function waitForCount(
  read: () => number,
  count: number,
  message: string,
  timeoutMs?: number,
): Promise<number> {
  return waitFor(() => (read() >= count ? read() : undefined), {
    message: () => `${message} (>= ${count}, got ${read()})`,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
}
