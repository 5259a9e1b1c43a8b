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

interface Share {
  ids: number[];
  sizes: number[];
  head: number;
  bytes: number;
}

/**
 * Which messages of a log each audience holds, oldest first, and which audience holds the most
 * messages (in constant time: counts move by one, so keys sit in buckets by count) or the most
 * bytes (a heap whose stale entries are skipped when they surface).
 */
export class TargetShares {
  private readonly shares = new Map<string, Share>();
  private readonly byCount = new Map<number, Set<string>>();
  private maxCount = 0;
  /** `[bytes, key]`, largest first; an entry is stale once the key's bytes have changed. */
  private heap: [number, string][] = [];

  add(key: string, id: number, size: number): void {
    let share = this.shares.get(key);
    if (!share) this.shares.set(key, (share = { ids: [], sizes: [], head: 0, bytes: 0 }));
    const count = share.ids.length - share.head;
    share.ids.push(id);
    share.sizes.push(size);
    share.bytes += size;
    this.moveCount(key, count, count + 1);
    this.pushBytes(key, share.bytes);
  }

  /** The audience holding the most messages, or undefined when empty. */
  mostMessages(): string | undefined {
    return this.byCount.get(this.maxCount)?.values().next().value;
  }

  /** The audience holding the most bytes, or undefined when empty. */
  mostBytes(): string | undefined {
    while (this.heap.length > 0) {
      const [bytes, key] = this.heap[0]!;
      if (this.shares.get(key)?.bytes === bytes) return key;
      this.popBytes();
    }
    return undefined;
  }

  /** Removes and returns the id of `key`'s oldest message. */
  takeOldest(key: string): number | undefined {
    const share = this.shares.get(key);
    if (!share || share.head >= share.ids.length) return undefined;
    const id = share.ids[share.head]!;
    share.bytes -= share.sizes[share.head]!;
    share.head++;
    const count = share.ids.length - share.head;
    this.moveCount(key, count + 1, count);
    if (count === 0) this.shares.delete(key);
    else {
      if (share.head > 1024 && share.head * 2 > share.ids.length) {
        share.ids.splice(0, share.head);
        share.sizes.splice(0, share.head);
        share.head = 0;
      }
      this.pushBytes(key, share.bytes);
    }
    return id;
  }

  clear(): void {
    this.shares.clear();
    this.byCount.clear();
    this.maxCount = 0;
    this.heap = [];
  }

  private moveCount(key: string, from: number, to: number): void {
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

  private pushBytes(key: string, bytes: number): void {
    // Stale entries pile up as bytes change: rebuild from the live totals now and then.
    if (this.heap.length > 4 * this.shares.size + 1024) {
      this.heap = [];
      for (const [live, share] of this.shares) this.siftUp(this.heap.push([share.bytes, live]) - 1);
      if (this.shares.get(key)?.bytes === bytes) return;
    }
    this.siftUp(this.heap.push([bytes, key]) - 1);
  }

  private popBytes(): void {
    const last = this.heap.pop()!;
    if (this.heap.length === 0) return;
    this.heap[0] = last;
    for (let i = 0; ;) {
      const [left, right] = [2 * i + 1, 2 * i + 2];
      let top = i;
      if (left < this.heap.length && this.heap[left]![0] > this.heap[top]![0]) top = left;
      if (right < this.heap.length && this.heap[right]![0] > this.heap[top]![0]) top = right;
      if (top === i) return;
      [this.heap[i], this.heap[top]] = [this.heap[top]!, this.heap[i]!];
      i = top;
    }
  }

  private siftUp(index: number): void {
    for (let i = index; i > 0;) {
      const parent = (i - 1) >> 1;
      if (this.heap[parent]![0] >= this.heap[i]![0]) return;
      [this.heap[i], this.heap[parent]] = [this.heap[parent]!, this.heap[i]!];
      i = parent;
    }
  }
}
