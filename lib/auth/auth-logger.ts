import type { AuthConfig } from "@auth/core";
import {
  AuthError,
  CredentialsSignin,
  InvalidCallbackUrl,
  InvalidCheck,
  InvalidProvider,
  JWTSessionError,
  MissingCSRF,
  UnknownAction,
} from "@auth/core/errors";
import type { Logger } from "pino";

/** The `logger` option of Auth.js (the same as `NextAuthConfig["logger"]`). */
export type AuthLogger = NonNullable<AuthConfig["logger"]>;

/**
 * Auth.js's logs through pino. Auth.js reports every refused sign-in as a `CredentialsSignin`
 * error with a stack trace; those are expected and `authorizeCredentials` has already logged one
 * `warn` line for each, so they are dropped here. A session cookie that does not decrypt (forged,
 * mangled, or from before a change of AUTH_SECRET) is the client's doing: one `warn` line, no
 * stack, so that nobody can fill the error log by sending junk cookies; so is every other request
 * Auth.js refuses (no CSRF token, an unknown action or provider, a bad callback URL). Everything
 * else is a real
 * fault and is logged with its cause (Auth.js wraps errors thrown inside callbacks as
 * `{ cause: { err } }`).
 *
 * No `debug`: with one set, Auth.js calls it regardless of its `debug` option, and its debug
 * metadata includes request bodies — passwords — which must not reach even a debug log.
 * @see https://authjs.dev/guides/debugging
 */
export function createAuthLogger(log: Pick<Logger, "error" | "warn">): AuthLogger {
  return {
    error(error) {
      if (error instanceof CredentialsSignin) return;
      if (error instanceof JWTSessionError) {
        log.warn({ type: error.type }, "auth: a session cookie could not be read");
        return;
      }
      const refused = requestFault(error);
      if (refused) {
        log.warn({ type: refused }, `auth: refused a request: ${error.message.slice(0, 200)}`);
        return;
      }
      const cause: unknown = (error.cause as { err?: unknown } | undefined)?.err;
      const type = error instanceof AuthError ? error.type : error.name;
      log.error({ err: cause instanceof Error ? cause : error, type }, `auth: ${error.message}`);
    },
    warn(code) {
      log.warn({ code }, "auth warning");
    },
  };
}

/** What a client sent wrong (the error's type), or undefined for a fault of the server's. */
function requestFault(error: Error): string | undefined {
  const refusals = [MissingCSRF, UnknownAction, InvalidProvider, InvalidCallbackUrl, InvalidCheck];
  if (refusals.some((type) => error instanceof type)) return (error as AuthError).type;
  // `/api/auth/signin/nope`: Auth.js throws a plain Error for an unknown provider id.
  if (/^Provider with id ".*" not found\./su.test(error.message)) return "UnknownProvider";
  return undefined;
}
