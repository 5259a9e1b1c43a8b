import { channelPrefixOf, isPresence, type PublishedMessage } from "./message";
import type { ResolvedServerEventsOptions } from "./options";
import type { ServerEventsStats } from "./stats";
import type { Subscription } from "./subscription";
import type { SubscriptionIndex } from "./subscription-index";
import { formatFrame, toWireSelector } from "./wire/frame";

const encoder = new TextEncoder();

/** A published message's bytes on the wire: `id: N\ndata: [channel@]selector json\n\n`. */
export function frameOf(message: PublishedMessage): string {
  return formatFrame(
    message.id,
    toWireSelector(message.selector, channelPrefixOf(message)),
    message.json,
  );
}

/** Idle past the timeout, or its connection already gone. */
export function isExpired(sub: Subscription, now: number, idleTimeoutMs: number): boolean {
  return sub.isClosed || now - sub.lastPulseAt > idleTimeoutMs;
}

/**
 * The last step of a message's path: the frame is formatted and encoded once, then written to
 * every local subscription it is addressed to, with the `onPublish`/`onPublishAsync` hooks around
 * each write. Subscribers that are gone, idle (on targeted notifies) or too slow are handed to
 * `drop`, which unsubscribes them.
 */
export class LocalDelivery {
  private readonly observers = new Set<(message: PublishedMessage) => void>();

  constructor(
    private readonly index: SubscriptionIndex,
    private readonly options: ResolvedServerEventsOptions,
    private readonly counters: Pick<
      ServerEventsStats,
      "framesDelivered" | "slowConsumerDisconnects"
    >,
    private readonly drop: (sub: Subscription) => void,
  ) {}

  /** Sees every message delivered here; returns the way to stop. */
  observe(listener: (message: PublishedMessage) => void): () => void {
    this.observers.add(listener);
    return () => this.observers.delete(listener);
  }

  deliver(message: PublishedMessage): void {
    if (this.observers.size > 0) this.notifyObservers(message);
    const frame = frameOf(message);
    const bytes = encoder.encode(frame);
    const { channelFilter, target } = message;
    // A herd of joins sends every member a frame per newcomer: presence may wait to share a write.
    const flushWithinMs = isPresence(message) ? this.options.presenceFlushMs : 0;
    const now = this.options.now();
    const dropped: Subscription[] = [];
    for (const sub of this.index.recipients(target)) {
      if (channelFilter !== undefined && !sub.channels.includes(channelFilter)) continue;
      // ServiceStack skips idle subscriptions on targeted notifies and queues them for removal.
      if (target.kind !== "all" && isExpired(sub, now, this.options.idleTimeoutMs)) {
        dropped.push(sub);
        continue;
      }
      if (this.options.onPublish) this.runPublishHook(sub, frame);
      if (this.options.onPublishAsync) this.deliverAfterAsyncHook(sub, message.id, frame, bytes);
      else if (!this.write(sub, message.id, frame, bytes, flushWithinMs)) dropped.push(sub);
    }
    for (const sub of dropped) this.drop(sub);
  }

  /** Writes one frame; false when the subscriber is gone or too slow (it is then dropped). */
  private write(
    sub: Subscription,
    id: number,
    frame: string,
    bytes: Uint8Array,
    flushWithinMs = 0,
  ): boolean {
    if (sub.deliver(id, frame, bytes, flushWithinMs)) {
      this.counters.framesDelivered++;
      return true;
    }
    if (sub.wasTooSlow) this.counters.slowConsumerDisconnects++;
    return false;
  }

  /**
   * `onPublishAsync` is awaited per subscription, in order, before the frame is written; frames
   * piling up behind a hook that stalls cut the subscriber off like a slow reader.
   */
  private deliverAfterAsyncHook(sub: Subscription, id: number, frame: string, bytes: Uint8Array) {
    const queued = sub.queueDelivery(bytes.byteLength, async () => {
      try {
        await this.options.onPublishAsync?.(sub, frame);
      } catch (error) {
        this.options.onError(error, sub);
      }
      if (!sub.isClosed && !this.write(sub, id, frame, bytes)) this.drop(sub);
    });
    if (queued) return;
    this.counters.slowConsumerDisconnects++;
    this.drop(sub);
  }

  /** An observer that throws is reported; the message is still delivered. */
  private notifyObservers(message: PublishedMessage): void {
    for (const observe of this.observers) {
      try {
        observe(message);
      } catch (error) {
        this.options.onError(error);
      }
    }
  }

  /** A throwing hook must not stop the fan-out to the other recipients. */
  private runPublishHook(sub: Subscription, frame: string): void {
    try {
      this.options.onPublish?.(sub, frame);
    } catch (error) {
      this.options.onError(error, sub);
    }
  }
}
