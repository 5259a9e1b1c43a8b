import type { PublishedMessage } from "./message";
import { TargetShares, targetKeyOf } from "./target-shares";

export interface ReplayResult {
  messages: PublishedMessage[];
  /** False when messages after the requested id were already dropped from the window. */
  complete: boolean;
}

/**
 * The replay window of the memory provider: published messages kept for `retentionMs`, at most
 * `maxMessages` and `maxBytes` of them. Past those two, the audience holding the most messages (a
 * channel, a user, everyone) gives up its oldest: one busy channel, or one publisher flooding
 * it, cannot push the other channels' messages out, and a resume stays complete for everyone
 * whose own messages are all still here. Ids arrive in increasing order.
 */
export class MessageLog {
  /** Kept messages by position (`base` + index); a hole where a message was evicted early. */
  private slots: (PublishedMessage | undefined)[] = [];
  private base = 0;
  /** Index of the oldest kept message (or `slots.length`). */
  private head = 0;
  private keptCount = 0;
  /** Size of the kept bodies, in UTF-16 code units (bytes for ASCII, close enough for a bound). */
  private keptSize = 0;
  /** Every message up to this id is gone: a resume from below it cannot be complete. */
  private droppedThrough = 0;
  /** Per audience, the highest id evicted while older messages stayed. */
  private readonly evictedThrough = new Map<string, number>();
  private readonly shares = new TargetShares();

  constructor(
    private readonly retentionMs: number,
    private readonly maxMessages: number,
    private readonly now: () => number,
    private readonly maxBytes = Number.POSITIVE_INFINITY,
  ) {}

  append(message: PublishedMessage): void {
    this.shares.add(targetKeyOf(message.target), this.base + this.slots.length);
    this.slots.push(message);
    this.keptCount++;
    this.keptSize += sizeOf(message);
    this.trim();
  }

  /**
   * The kept messages after `afterId`, and whether they are all there were for an audience made
   * of `audience` (`audienceKeysOf`; every audience when left out).
   */
  since(afterId: number, audience?: readonly string[]): ReplayResult {
    this.trim();
    const messages: PublishedMessage[] = [];
    for (let i = this.head; i < this.slots.length; i++) {
      const message = this.slots[i];
      if (message && message.id > afterId) messages.push(message);
    }
    const complete = afterId >= this.droppedThrough && this.noneEvictedAfter(afterId, audience);
    return { messages, complete };
  }

  clear(): void {
    for (let i = this.slots.length - 1; i >= this.head; i--) {
      const message = this.slots[i];
      if (message) {
        this.droppedThrough = Math.max(this.droppedThrough, message.id);
        break;
      }
    }
    for (const id of this.evictedThrough.values())
      this.droppedThrough = Math.max(this.droppedThrough, id);
    this.base += this.slots.length;
    this.slots = [];
    this.head = 0;
    this.keptCount = 0;
    this.keptSize = 0;
    this.evictedThrough.clear();
    this.shares.clear();
  }

  private noneEvictedAfter(afterId: number, audience: readonly string[] | undefined): boolean {
    if (audience) return audience.every((key) => (this.evictedThrough.get(key) ?? 0) <= afterId);
    for (const id of this.evictedThrough.values()) if (id > afterId) return false;
    return true;
  }

  private trim(): void {
    const oldestKept = this.now() - this.retentionMs;
    this.skipHoles();
    // Past the retention, the oldest go first, whoever they were for.
    while (this.head < this.slots.length && this.slots[this.head]!.createdAt < oldestKept) {
      this.shares.takeOldest(targetKeyOf(this.slots[this.head]!.target));
      this.evict(this.head, undefined);
    }
    // Past the count or the size, the largest audience gives up its oldest.
    while (this.keptCount > this.maxMessages || this.keptSize > this.maxBytes) {
      const key = this.shares.largest();
      const position = key === undefined ? undefined : this.shares.takeOldest(key);
      if (position === undefined) break;
      this.evict(position - this.base, key);
    }
    // Compact now and then instead of shifting on every drop.
    if (this.head > 1024 && this.head * 2 > this.slots.length) {
      this.slots.splice(0, this.head);
      this.base += this.head;
      this.head = 0;
      for (const [key, id] of this.evictedThrough)
        if (id <= this.droppedThrough) this.evictedThrough.delete(key);
    }
  }

  /** Drops the message at `index`: from the head it moves the window, elsewhere it leaves a hole. */
  private evict(index: number, key: string | undefined): void {
    const message = this.slots[index]!;
    this.slots[index] = undefined;
    this.keptCount--;
    this.keptSize -= sizeOf(message);
    if (index === this.head) {
      this.droppedThrough = message.id;
      this.skipHoles();
    } else {
      const audience = key ?? targetKeyOf(message.target);
      this.evictedThrough.set(
        audience,
        Math.max(this.evictedThrough.get(audience) ?? 0, message.id),
      );
    }
  }

  private skipHoles(): void {
    while (this.head < this.slots.length && this.slots[this.head] === undefined) this.head++;
  }
}

function sizeOf(message: PublishedMessage): number {
  return message.json.length + message.selector.length;
}
