import { z } from "zod";
import { snapshotSchema, type ShapesMessage } from "@/app/shapes/_lib/shapes";

/**
 * A `shapes.snapshot` body: the drawer's whole canvas (shapes, colours and sizes bounded by
 * `snapshotSchema`) plus who drew it. The server builds it from a validated POST, but anyone who
 * can publish to a channel can send the same selector with any body, so the mirror checks too.
 */
export const shapesMessageSchema: z.ZodType<ShapesMessage> = snapshotSchema.extend({
  userId: z.string().min(1).max(200),
  displayName: z.string().min(1).max(100),
});
