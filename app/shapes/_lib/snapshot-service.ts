import { z } from "zod";
import {
  jsonResponse,
  errorResponse,
  readJsonWithin,
  requirePublisher,
  ServerEventsError,
  type HandlerContext,
} from "@/lib/server-events";
import { SNAPSHOT_SELECTOR, shapesChannel, snapshotSchema, type ShapesMessage } from "./shapes";

const bodySchema = snapshotSchema.extend({ from: z.string().min(1).max(200) });
/** A full canvas of MAX_SHAPES shapes is about 45 KB of JSON. */
const MAX_SNAPSHOT_BYTES = 64 * 1024;

/**
 * `POST /shapes/api/snapshot` `{from, shapes, version, canUndo, canRedo}`: publishes the caller's
 * whole canvas on their own channel, `shapes-{userId}`. The channel comes from the subscription the
 * caller proves it owns (403 otherwise), so nobody can draw on someone else's canvas.
 */
export function createSnapshotHandler(
  context: HandlerContext,
  onError: (error: unknown) => void = () => {},
) {
  return async (request: Request): Promise<Response> => {
    try {
      const parsed = bodySchema.safeParse(await readJsonWithin(request, MAX_SNAPSHOT_BYTES));
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new ServerEventsError("invalid_argument", issue?.message ?? "Invalid snapshot", {
          field: issue?.path.join(".") || "body",
        });
      }
      const { from, ...snapshot } = parsed.data;
      const events = await context.serverEvents();
      const sender = await requirePublisher(context, request, events, from);
      const message: ShapesMessage = {
        ...snapshot,
        userId: sender.userId,
        displayName: sender.displayName,
      };
      await events.notifyChannel(shapesChannel(sender.userId), SNAPSHOT_SELECTOR, message);
      return jsonResponse({});
    } catch (error) {
      return errorResponse(error, onError);
    }
  };
}
