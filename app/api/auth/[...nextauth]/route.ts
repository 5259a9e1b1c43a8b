import { handlers, recognizeBrowser } from "@/auth";
import { getAuthThrottles } from "@/db/auth-attempts";
import { refuseLargeBodies } from "@/lib/auth/body-limit";
import { refuseInvalidCallbackUrls } from "@/lib/auth/callback-url-guard";
import { refuseThrottledSignIns } from "@/lib/auth/credentials-route";
import { logger } from "@/lib/next/logger";

export const runtime = "nodejs";
export const maxDuration = 30;

export const GET = refuseInvalidCallbackUrls(handlers.GET);
export const POST = refuseLargeBodies(
  refuseInvalidCallbackUrls(
    refuseThrottledSignIns(
      handlers.POST,
      () => getAuthThrottles().signIn,
      logger,
      recognizeBrowser,
    ),
  ),
);
