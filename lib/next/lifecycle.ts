import { logger } from "./logger";

/**
 * The instance's life: starting (the provider is not up yet), serving, then draining once SIGTERM
 * arrives. Kept on globalThis because `npm start`'s Node server and the route handlers Next
 * bundled each load their own copy of this module, and both must see one state.
 */
interface LifecycleState {
  draining: boolean;
  inFlight: number;
  idleWaiters: (() => void)[];
  /** Why the provider could not start yet (the last attempt's error), for `/readyz`. */
  startupProblem: string | undefined;
}

const globalCache = globalThis as unknown as { __serverEventsLifecycle?: LifecycleState };
const state = (globalCache.__serverEventsLifecycle ??= {
  draining: false,
  inFlight: 0,
  idleWaiters: [],
  startupProblem: undefined,
});

/** False once shutdown began: new streams get 503 so clients and proxies go elsewhere. */
export function isAcceptingStreams(): boolean {
  return !state.draining;
}

export function isDraining(): boolean {
  return state.draining;
}

/** Marks the start of a graceful shutdown; returns false if it had already begun. */
export function beginDraining(): boolean {
  if (state.draining) return false;
  state.draining = true;
  return true;
}

export function startupProblem(): string | undefined {
  return state.startupProblem;
}

export function setStartupProblem(problem: string | undefined): void {
  state.startupProblem = problem;
}

/**
 * Counts a request (a publish, an unregister) that shutdown must let finish before it stops the
 * provider; streams are not counted, they are ended on purpose.
 */
export function trackInFlight<A extends unknown[]>(
  handler: (request: Request, ...args: A) => Promise<Response>,
): (request: Request, ...args: A) => Promise<Response> {
  return async (request, ...args) => {
    const done = beginInFlight();
    try {
      return await handler(request, ...args);
    } finally {
      done();
    }
  };
}

/**
 * Counts one request from now until the returned function is called (once): for a server that
 * reads a body before the handler runs, so that a request still uploading counts too.
 */
export function beginInFlight(): () => void {
  state.inFlight++;
  let ended = false;
  return () => {
    if (ended) return;
    ended = true;
    state.inFlight--;
    if (state.inFlight === 0) for (const wake of state.idleWaiters.splice(0)) wake();
  };
}

/** Resolves when no tracked request is running, or after `timeoutMs` (false then). */
export function inFlightSettled(timeoutMs: number): Promise<boolean> {
  if (state.inFlight === 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      logger.warn({ inFlight: state.inFlight }, "shutdown: requests still running at the deadline");
      resolve(false);
    }, timeoutMs);
    timer.unref();
    state.idleWaiters.push(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}
