import { describeError } from "@/lib/server-events";
import { isDraining, startupProblem } from "@/lib/next/lifecycle";
import { getAppServices } from "./app-services";

/** How long a readiness check may wait on the provider (a database that hangs instead of refusing). */
const READINESS_TIMEOUT_MS = 2_000;

const jsonHeaders = {
  "Content-Type": "application/json; charset=utf-8",
  "Cache-Control": "no-store",
  "X-Content-Type-Options": "nosniff",
};

function json(status: number, body: Record<string, string>): Response {
  return new Response(JSON.stringify(body), { status, headers: jsonHeaders });
}

/** `GET /healthz`, liveness: 200 for as long as the process serves requests, database or not. */
export function handleHealthz(): Response {
  return json(200, { status: "ok" });
}

/**
 * `GET /readyz`, readiness: 200 when the provider works (its database or Redis answers, its
 * listener is live); 503 with a JSON `status` and `reason` while it starts, cannot reach its
 * backend, or the instance shuts down. A load balancer stops sending traffic on 503.
 */
export async function handleReadyz(): Promise<Response> {
  if (isDraining())
    return json(503, { status: "draining", reason: "the instance is shutting down" });
  const outcome = await withTimeout(
    getAppServices().then(({ serverEvents }) => serverEvents.checkReadiness()),
    READINESS_TIMEOUT_MS,
  ).catch((error: unknown) => ({
    ready: false as const,
    reason: startupProblem() ?? `the provider is not started: ${describeError(error)}`,
  }));
  if (outcome === "timeout")
    return json(503, { status: "unavailable", reason: "the provider did not answer in 2 s" });
  return outcome.ready
    ? json(200, { status: "ready" })
    : json(503, { status: "unavailable", reason: outcome.reason });
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T | "timeout"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
