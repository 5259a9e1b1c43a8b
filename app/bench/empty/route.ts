import { env } from "@/lib/env";

/**
 * Next's floor for the benchmarks (bench/scenarios/connections.mjs): an empty App Router route,
 * so a request through Next's pipeline can be priced on its own. 404 unless BENCH_EMPTY_ROUTE=1.
 */
export const dynamic = "force-dynamic";

export function GET(): Response {
  return new Response(null, { status: env.BENCH_EMPTY_ROUTE ? 204 : 404 });
}
