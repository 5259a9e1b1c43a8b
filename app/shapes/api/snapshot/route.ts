import { serverEventsHandlers } from "@/lib/next/handlers";
import { logger } from "@/lib/next/logger";
import { createSnapshotHandler } from "@/app/shapes/_lib/snapshot-service";

export const runtime = "nodejs";

export const POST = createSnapshotHandler(serverEventsHandlers.context, (error) =>
  logger.error({ err: error }, "shapes snapshot failed"),
);
