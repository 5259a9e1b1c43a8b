import { handlers } from "@/auth";
import { getAuthThrottles } from "@/lib/auth/auth-throttle";
import { refuseThrottledSignIns } from "@/lib/auth/credentials-route";
import { logger } from "@/lib/next/logger";

export const runtime = "nodejs";
export const maxDuration = 30;

export const { GET } = handlers;
export const POST = refuseThrottledSignIns(handlers.POST, () => getAuthThrottles().signIn, logger);
