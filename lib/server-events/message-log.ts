import type { PublishedMessage } from "./message";
import { TargetShares, targetKeyOf } from "./target-shares";

export interface ReplayResult {
  messages: PublishedMessage[];
  /** False when messages after the requested id were already dropped from the window. */
  complete: boolean;
}

/** Audiences whose drops are remembered one by one; past that the oldest marks fold into one. */
export const MAX_AUDIENCE_MARKS = 10_000;

/**
 * The replay window of the memory provider: published messages kept for `retentionMs`, at most
 * `maxMessages` and `maxBytes` of them. Past the count, the audience holding the most messages (a
 * channel, a user, everyone) gives up its oldest; past the size, the one holding the most bytes.
 * One busy channel, or one publisher flooding it, so cannot push the other channels' messages
 * out, and a resume stays complete for everyone whose own messages are all still here.
 */
export class MessageLog {
  /** Kept messages by id, in id order (ids arrive in increasing order). */
  private readonly kept = new Map<number, PublishedMessage>();
  /** Size of the kept bodies, in UTF-16 code units (bytes for ASCII, close enough for a bound). */
  private keptSize = 0;
  /** Every message up to this id may be gone: a resume from below it cannot be complete. */
  private droppedThrough = 0;
  /** Per audience, the highest id it had to give up to make room. */
  private readonly droppedFor = new Map<string, number>();
  private readonly shares = new TargetShares();

  constructor(
    private readonly retentionMs: number,
    private readonly maxMessages: number,
    private readonly now: () => number,
    private readonly maxBytes = Number.POSITIVE_INFINITY,
  ) {}

  append(message: PublishedMessage): void {
    const size = sizeOf(message);
    this.kept.set(message.id, message);
    this.keptSize += size;
    this.shares.add(targetKeyOf(message.target), message.id, size);
    this.trim();
  }

  /**
   * The kept messages after `afterId`, and whether they are all there were for an audience made
   * of `audience` (`audienceKeysOf`; every audience when left out).
   */
  since(afterId: number, audience?: readonly string[]): ReplayResult {
    this.trim();
    const messages: PublishedMessage[] = [];
    for (const message of this.kept.values()) if (message.id > afterId) messages.push(message);
    const complete = afterId >= this.droppedThrough && this.noneDroppedAfter(afterId, audience);
    return { messages, complete };
  }

  clear(): void {
    for (const id of [...this.kept.keys(), ...this.droppedFor.values()])
      this.droppedThrough = Math.max(this.droppedThrough, id);
    this.kept.clear();
    this.keptSize = 0;
    this.droppedFor.clear();
    this.shares.clear();
  }

  private noneDroppedAfter(afterId: number, audience: readonly string[] | undefined): boolean {
    if (audience) return audience.every((key) => (this.droppedFor.get(key) ?? 0) <= afterId);
    for (const id of this.droppedFor.values()) if (id > afterId) return false;
    return true;
  }

  private trim(): void {
    // Past the retention, the oldest go first, whoever they were for.
    const oldestKept = this.now() - this.retentionMs;
    for (const message of this.kept.values()) {
      if (message.createdAt >= oldestKept) break;
      this.shares.takeOldest(targetKeyOf(message.target));
      this.remove(message);
      this.droppedThrough = message.id;
    }
    // Past the count or the size, the audience holding the most gives up its oldest.
    while (this.kept.size > this.maxMessages || this.keptSize > this.maxBytes) {
      const key =
        this.keptSize > this.maxBytes ? this.shares.mostBytes() : this.shares.mostMessages();
      const id = key === undefined ? undefined : this.shares.takeOldest(key);
      if (key === undefined || id === undefined) break;
      this.remove(this.kept.get(id)!);
      this.droppedFor.set(key, Math.max(this.droppedFor.get(key) ?? 0, id));
      if (this.droppedFor.size > MAX_AUDIENCE_MARKS) this.foldOldestMarks();
    }
  }

  private remove(message: PublishedMessage): void {
    this.kept.delete(message.id);
    this.keptSize -= sizeOf(message);
  }

  /** Forgets the older half of the marks, raising `droppedThrough` over them (never unsafe). */
  private foldOldestMarks(): void {
    const marks = [...this.droppedFor].sort((a, b) => a[1] - b[1]);
    for (const [key, id] of marks.slice(0, marks.length >> 1)) {
      this.droppedFor.delete(key);
      this.droppedThrough = Math.max(this.droppedThrough, id);
    }
    for (const [key, id] of this.droppedFor)
      if (id <= this.droppedThrough) this.droppedFor.delete(key);
  }
}

function sizeOf(message: PublishedMessage): number {
  return message.json.length + message.selector.length;
}
