import type { AddressableSubscription, NotifyTarget } from "./message";

/** One key per audience a message can have: `all`, `channel:home`, `userId:7`, … */
export function targetKeyOf(target: NotifyTarget): string {
  return target.kind === "all" ? "all" : `${target.kind}:${target.value}`;
}

/** The keys of every audience `sub` belongs to: the messages it may be missing are theirs. */
export function audienceKeysOf(sub: AddressableSubscription): string[] {
  const keys = ["all", `subscription:${sub.id}`, `userId:${sub.userId}`];
  for (const channel of sub.channels) keys.push(`channel:${channel}`);
  if (sub.userName !== null) keys.push(`userName:${sub.userName}`);
  if (sub.sessionId !== null) keys.push(`session:${sub.sessionId}`);
  return keys;
}

/**
 * Which positions of a log each audience holds, oldest first, and which audience holds the most,
 * in constant time per change (counts move by one: keys sit in buckets by count).
 */
export class TargetShares {
  private readonly positions = new Map<string, { list: number[]; head: number }>();
  private readonly byCount = new Map<number, Set<string>>();
  private maxCount = 0;

  add(key: string, position: number): void {
    let queue = this.positions.get(key);
    if (!queue) this.positions.set(key, (queue = { list: [], head: 0 }));
    const count = queue.list.length - queue.head;
    queue.list.push(position);
    this.move(key, count, count + 1);
  }

  /** The audience holding the most positions, or undefined when empty. */
  largest(): string | undefined {
    return this.byCount.get(this.maxCount)?.values().next().value;
  }

  /** Removes and returns `key`'s oldest position. */
  takeOldest(key: string): number | undefined {
    const queue = this.positions.get(key);
    if (!queue || queue.head >= queue.list.length) return undefined;
    const position = queue.list[queue.head++]!;
    const count = queue.list.length - queue.head;
    this.move(key, count + 1, count);
    if (count === 0) this.positions.delete(key);
    else if (queue.head > 1024 && queue.head * 2 > queue.list.length) {
      queue.list.splice(0, queue.head);
      queue.head = 0;
    }
    return position;
  }

  clear(): void {
    this.positions.clear();
    this.byCount.clear();
    this.maxCount = 0;
  }

  private move(key: string, from: number, to: number): void {
    if (from > 0) {
      const bucket = this.byCount.get(from)!;
      bucket.delete(key);
      if (bucket.size === 0) this.byCount.delete(from);
    }
    if (to > 0) {
      let bucket = this.byCount.get(to);
      if (!bucket) this.byCount.set(to, (bucket = new Set()));
      bucket.add(key);
    }
    if (to > this.maxCount) this.maxCount = to;
    while (this.maxCount > 0 && !this.byCount.has(this.maxCount)) this.maxCount--;
  }
}
