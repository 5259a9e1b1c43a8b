import { ServerEventsClientError, toClientError } from "./errors";
import type { ServerEventBuiltInHandlers } from "./types";

/** Where errors go; read at each report, so later `registerHandler` calls are seen. */
export interface ReporterSinks {
  handlers: ServerEventBuiltInHandlers;
  onException?: ((error: unknown) => void) | undefined;
  onTick?: (() => void) | undefined;
}

export interface Reporter {
  /** Sends an error to `onException` (option, then handler), then `onTick`. Never throws. */
  report(error: unknown): void;
  /** Runs user code; anything it throws is reported as a `handler` error instead of escaping. */
  safely(fn: () => void): void;
}

function swallow(fn: () => void): void {
  try {
    fn();
  } catch {
    // An exception handler that throws has nowhere left to report to; never let it escape into
    // the stream loop, where it would become an unhandled rejection.
  }
}

export function createReporter(sinks: ReporterSinks): Reporter {
  const report = (error: unknown): void => {
    const reported =
      error instanceof ServerEventsClientError ? error : toClientError(error, "network", "error");
    swallow(() => sinks.onException?.(reported));
    swallow(() => sinks.handlers.onException?.(reported));
    swallow(() => sinks.onTick?.());
  };
  return {
    report,
    safely(fn) {
      try {
        fn();
      } catch (error) {
        report(toClientError(error, "handler", "handler"));
      }
    },
  };
}
