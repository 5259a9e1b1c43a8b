import { handleMetrics } from "@/lib/next/metrics";

export const dynamic = "force-dynamic";

export const GET = handleMetrics;
