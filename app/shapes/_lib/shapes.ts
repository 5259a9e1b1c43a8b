import { z } from "zod";

export const CANVAS_WIDTH = 800;
export const CANVAS_HEIGHT = 500;
export const MAX_SHAPES = 300;

export const shapeSchema = z.object({
  id: z.string().min(1).max(40),
  kind: z.enum(["circle", "rect"]),
  x: z
    .number()
    .finite()
    .min(-1000)
    .max(CANVAS_WIDTH + 1000),
  y: z
    .number()
    .finite()
    .min(-1000)
    .max(CANVAS_HEIGHT + 1000),
  size: z.number().finite().min(4).max(400),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/u, "color must look like #1e90ff"),
});
export type Shape = z.infer<typeof shapeSchema>;

/** What a drawer publishes on `shapes-{userId}` after every change: the whole canvas. */
export const snapshotSchema = z.object({
  shapes: z.array(shapeSchema).max(MAX_SHAPES),
  /** Position in the drawer's history, so watchers can show "3 of 5" while they undo. */
  version: z.number().int().min(0),
  canUndo: z.boolean(),
  canRedo: z.boolean(),
});
export type Snapshot = z.infer<typeof snapshotSchema>;

/** The published message: the snapshot plus who drew it (set by the server, not the client). */
export interface ShapesMessage extends Snapshot {
  userId: string;
  displayName: string;
}

/** Every user on /shapes is in the lobby channel; each one's drawing goes to their own channel. */
export const SHAPES_LOBBY = "shapes";
export const shapesChannel = (userId: string) => `shapes-${userId}`;
export const SNAPSHOT_SELECTOR = "shapes.snapshot";
export const REQUEST_SELECTOR = "shapes.requestSnapshot";
