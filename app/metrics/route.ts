import { handleMetrics } from "@/app/_server/metrics";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";
export const maxDuration = 30;

export const GET = handleMetrics;
