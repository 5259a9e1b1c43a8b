import { handleMetrics } from "@/lib/next/metrics";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const GET = handleMetrics;
