import { serverEventsHandlers } from "@/app/_server/handlers";
import { trackInFlight } from "@/lib/next/lifecycle";
import { logger } from "@/lib/next/logger";
import { createSnapshotHandler } from "@/app/shapes/_lib/snapshot-service";

export const runtime = "nodejs";
export const maxDuration = 30;

// A publish: a shutting-down instance lets it finish.
export const POST = trackInFlight(
  createSnapshotHandler(serverEventsHandlers.context, (error) =>
    logger.error({ err: error }, "shapes snapshot failed"),
  ),
);
