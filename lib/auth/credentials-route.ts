import type { Logger } from "pino";
import type { SignInThrottle } from "./auth-throttle";
import { tooManyFailedSignInsMessage } from "./auth-throttle";
import { clientAddress } from "@/lib/server-events";

type RouteHandler<R extends Request> = (request: R) => Promise<Response>;

const isCredentialsCallback = (request: Request) =>
  new URL(request.url).pathname.endsWith("/callback/credentials");

/** The name field as Auth.js will read it (urlencoded form or JSON), or "" when there is none. */
async function readName(request: Request): Promise<string> {
  const type = request.headers.get("content-type") ?? "";
  try {
    if (type.includes("application/json")) {
      const body = (await request.json()) as { name?: unknown } | null;
      return typeof body?.name === "string" ? body.name : "";
    }
    if (type.includes("application/x-www-form-urlencoded"))
      return new URLSearchParams(await request.text()).get("name") ?? "";
  } catch {
    // Unreadable bodies are Auth.js's to reject.
  }
  return "";
}

/**
 * Answers `429 Too Many Requests` (with `Retry-After`) to a throttled
 * `POST /api/auth/callback/credentials` — the endpoint that bypasses the sign-in form — before
 * Auth.js sees it: Auth.js itself can only answer a refused sign-in with a redirect to the
 * sign-in page. `authorize` checks the same throttle again, so a request that slips past here
 * in a race is still refused (with Auth.js's redirect). Each refusal logs one `warn` line, like
 * the refusals `authorize` logs.
 */
export function refuseThrottledSignIns<R extends Request>(
  handler: RouteHandler<R>,
  throttle: () => SignInThrottle,
  log: Pick<Logger, "warn">,
  /** The browser's device id for the name (lib/auth/device-cookie.ts), as `authorize` sees it. */
  recognize: (request: Request, name: string) => Promise<string | undefined> = () =>
    Promise.resolve(undefined),
): RouteHandler<R> {
  return async (request) => {
    if (request.method !== "POST" || !isCredentialsCallback(request)) return handler(request);
    const name = (await readName(request.clone())).trim().slice(0, 64);
    const address = clientAddress(request.headers);
    const verdict = await throttle().check(name, address, await recognize(request, name));
    if (verdict.allowed) return handler(request);
    log.warn(
      { event: "signin_failed", name, address: address ?? null, reason: "throttled" },
      "sign-in refused: too many attempts",
    );
    const retryAfterSeconds = Math.ceil(verdict.retryAfterMs / 1000);
    return Response.json(
      { error: tooManyFailedSignInsMessage(verdict.retryAfterMs), retryAfterSeconds },
      { status: 429, headers: { "Retry-After": String(retryAfterSeconds) } },
    );
  };
}
