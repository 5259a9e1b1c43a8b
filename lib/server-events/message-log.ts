import type { PublishedMessage } from "./message";

export interface ReplayResult {
  messages: PublishedMessage[];
  /** False when messages after the requested id were already dropped from the window. */
  complete: boolean;
}

/**
 * The replay window of the memory provider: published messages kept for `retentionMs` and at most
 * `maxMessages`, oldest dropped first. Ids arrive in increasing order.
 */
export class MessageLog {
  private readonly messages: PublishedMessage[] = [];
  private head = 0;
  /** Highest id no longer kept; a resume from below it cannot be complete. */
  private droppedThrough = 0;
  /** Size of the kept bodies, in UTF-16 code units (bytes for ASCII, close enough for a bound). */
  private keptSize = 0;

  constructor(
    private readonly retentionMs: number,
    private readonly maxMessages: number,
    private readonly now: () => number,
    private readonly maxBytes = Number.POSITIVE_INFINITY,
  ) {}

  append(message: PublishedMessage): void {
    this.messages.push(message);
    this.keptSize += sizeOf(message);
    this.trim();
  }

  since(afterId: number): ReplayResult {
    this.trim();
    const live = this.messages.slice(this.head);
    let start = live.findIndex((message) => message.id > afterId);
    if (start === -1) start = live.length;
    return { messages: live.slice(start), complete: afterId >= this.droppedThrough };
  }

  clear(): void {
    for (const message of this.messages.slice(this.head)) this.droppedThrough = message.id;
    this.messages.length = 0;
    this.head = 0;
    this.keptSize = 0;
  }

  private trim(): void {
    const oldestKept = this.now() - this.retentionMs;
    while (this.head < this.messages.length) {
      const message = this.messages[this.head]!;
      const overCount = this.messages.length - this.head > this.maxMessages;
      const overSize = this.keptSize > this.maxBytes;
      if (!overCount && !overSize && message.createdAt >= oldestKept) break;
      this.droppedThrough = message.id;
      this.keptSize -= sizeOf(message);
      this.head++;
    }
    // Compact now and then instead of shifting on every drop.
    if (this.head > 1024 && this.head * 2 > this.messages.length) {
      this.messages.splice(0, this.head);
      this.head = 0;
    }
  }
}

function sizeOf(message: PublishedMessage): number {
  return message.json.length + message.selector.length;
}
