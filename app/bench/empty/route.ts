import { env } from "@/lib/env";

/**
 * Next's floor for the benchmarks (bench/scenarios/connections.mjs): an empty App Router route,
 * so a request through Next's pipeline can be priced on its own — GET, and POST like a heartbeat
 * (a POST brings its body stream). 404 unless BENCH_EMPTY_ROUTE=1.
 */
export const runtime = "nodejs";
export const maxDuration = 30;
export const dynamic = "force-dynamic";

function empty(): Response {
  return new Response(null, { status: env.BENCH_EMPTY_ROUTE ? 204 : 404 });
}

export const GET = empty;
export const POST = empty;
