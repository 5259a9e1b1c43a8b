import { serverEventsHandlers } from "@/app/_server/handlers";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";
/**
 * Seconds a host with a function time limit (Vercel) lets one stream run; set
 * SSE_MAX_STREAM_DURATION_MS below it so streams end cleanly first (docs/deploy.md).
 */
export const maxDuration = 300;

export const GET = serverEventsHandlers.stream;
