import type { Env } from "@/lib/env";

/** `maxDuration` of app/event-stream/route.ts, in seconds (Next needs the literal there). */
export const EVENT_STREAM_MAX_DURATION_S = 300;

/**
 * What a function host (Vercel, AWS Lambda) needs that a container does not, one line per missing
 * setting, or none elsewhere. Each function instance has its own memory and is cut off at
 * `maxDuration`: the in-memory provider would split the subscribers into islands, and streams
 * without SSE_MAX_STREAM_DURATION_MS would be killed without a `retry:` hint (docs/deploy.md).
 */
export function functionHostProblems(env: Env): string[] {
  const host = env.VERCEL ? "Vercel" : env.AWS_LAMBDA_FUNCTION_NAME ? "AWS Lambda" : null;
  if (host === null) return [];
  const problems: string[] = [];
  if (!env.DATABASE_URL && !env.REDIS_URL)
    problems.push(
      `DATABASE_URL or REDIS_URL: on ${host} every function instance has its own memory, so ` +
        "the in-memory provider cannot serve there; set one of them",
    );
  const limitMs = EVENT_STREAM_MAX_DURATION_S * 1000;
  const duration = env.SSE_MAX_STREAM_DURATION_MS;
  if (duration === undefined || duration >= limitMs)
    problems.push(
      `SSE_MAX_STREAM_DURATION_MS: on ${host} set it below the event stream's maxDuration ` +
        `(${limitMs} ms), e.g. ${limitMs - 20_000}, so that streams end with a retry: hint ` +
        "before the platform cuts them",
    );
  return problems;
}
