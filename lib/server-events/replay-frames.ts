import type { PublishedMessage } from "./message";
import { frameOf } from "./local-delivery";

const encoder = new TextEncoder();

/**
 * One copy of each replayed message, and of its bytes, for every stream that resumes past it.
 *
 * A replay goes out as fast as its stream reads it, so a stream that resumes from far back and
 * then stops reading holds its replay (up to `replayMaxBytes` of bodies) until it is cut off. The
 * memory provider replays its log's own objects; a cluster provider reads each replay from its
 * store as new ones, so many such streams would each hold a copy of the same window. Messages are
 * matched by id (and time and selector, so a store emptied and numbered again never hands out the
 * wrong one) and held weakly: sharing costs nothing once the streams let go of them.
 */
export class ReplayFrames {
  private readonly messages = new Map<number, WeakRef<PublishedMessage>>();
  private readonly frames = new WeakMap<PublishedMessage, Uint8Array>();
  private readonly collected = new FinalizationRegistry<number>((id) => {
    if (this.messages.get(id)?.deref() === undefined) this.messages.delete(id);
  });

  /** The messages, each replaced by the copy another stream already holds, if any. */
  share(replayed: readonly PublishedMessage[]): PublishedMessage[] {
    return replayed.map((message) => {
      const held = this.messages.get(message.id)?.deref();
      if (held && held.createdAt === message.createdAt && held.selector === message.selector)
        return held;
      this.messages.set(message.id, new WeakRef(message));
      this.collected.register(message, message.id);
      return message;
    });
  }

  /** The message's frame, encoded once while the message is held. */
  frameOf(message: PublishedMessage): Uint8Array {
    let bytes = this.frames.get(message);
    if (!bytes) {
      bytes = encoder.encode(frameOf(message));
      this.frames.set(message, bytes);
    }
    return bytes;
  }
}
