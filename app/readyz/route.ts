import { handleReadyz } from "@/lib/next/health";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const GET = handleReadyz;
