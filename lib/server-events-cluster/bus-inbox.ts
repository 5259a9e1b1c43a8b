import type { PublishedMessage } from "@/lib/server-events";
import { ALL_INSTANCES, type ControlMessage } from "./cluster";
import { decodeBusPayload, isControl, type BusEntry } from "./bus-payload";

export interface BusInboxOptions {
  instanceId: string;
  onError(error: unknown): void;
  /**
   * Log entries with `after < id <= through` (`through` may be Infinity), in id order. May stop
   * early after at least `BUS_READ_BATCH` entries; it is called again from the last one.
   */
  read(after: number, through: number): Promise<BusEntry[]>;
}

/** What a bus reads from its log at once. */
export const BUS_READ_BATCH = 500;

/**
 * The receiving half every cluster bus shares: payloads from the wire (NOTIFY, pub/sub) are applied
 * one at a time, strictly in id order. A payload carries a slice of a committed batch, inline or by
 * reference. A gap (ids announced past `last + 1`, or a slice sent by reference) is filled from the
 * log first — the bus guarantees that every id below an announced one is already readable. Logged
 * control messages take their turn in the same order. A failed step is reported and retried from
 * the log shortly after.
 */
export class BusInbox {
  /** Highest id delivered locally: the bus's `head()`. */
  last = 1;
  deliver: (message: PublishedMessage) => void = () => undefined;
  control: (message: ControlMessage) => void = () => undefined;
  private queue: Promise<void> = Promise.resolve();
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;

  constructor(private readonly options: BusInboxOptions) {}

  /** A payload as it came off the wire; never throws. */
  receive(payload: string): void {
    try {
      const decoded = decodeBusPayload(payload);
      if (decoded.kind === "batch") {
        const { first, last, entries } = decoded;
        void this.enqueue(() => this.receiveBatch(first, last, entries));
        return;
      }
      const { to, from, message } = decoded;
      if (this.isForMe(to, from)) void this.enqueue(() => Promise.resolve(this.control(message)));
    } catch (error) {
      this.options.onError(error);
    }
  }

  /** Serializes delivery; a failed step is reported and retried from the log shortly after. */
  enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.queue.then(task);
    this.queue = run.catch((error: unknown) => {
      this.options.onError(error);
      this.scheduleRetry();
    });
    return run;
  }

  /** Delivers whatever the log holds past `last`, in turn with what arrives meanwhile. */
  catchUp(): Promise<void> {
    return this.enqueue(() => this.catchUpTo(Number.POSITIVE_INFINITY)).catch(() => undefined);
  }

  /** Waits for everything queued so far. */
  async drain(): Promise<void> {
    await this.queue;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    await this.queue;
  }

  /** Delivers what the log holds after `last`, up to `through`. */
  async catchUpTo(through: number): Promise<void> {
    for (;;) {
      const messages = await this.options.read(this.last, through);
      for (const message of messages) this.emit(message);
      if (messages.length < BUS_READ_BATCH) return;
    }
  }

  /** Ids first…last, their entries inline or (null) to be read from the log. */
  private async receiveBatch(
    first: number,
    last: number,
    entries: BusEntry[] | null,
  ): Promise<void> {
    if (last <= this.last) return;
    if (entries === null) await this.catchUpTo(last);
    else {
      if (first > this.last + 1) await this.catchUpTo(first - 1);
      for (const entry of entries) this.emit(entry);
    }
    this.last = Math.max(this.last, last);
  }

  private isForMe(to: string, from: string): boolean {
    const me = this.options.instanceId;
    return to === me || (to === ALL_INSTANCES && from !== me);
  }

  private scheduleRetry(): void {
    if (this.closed || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.catchUp();
    }, 1_000);
    this.retryTimer.unref?.();
  }

  private emit(entry: BusEntry): void {
    if (entry.id <= this.last) return;
    this.last = entry.id;
    try {
      if (!isControl(entry)) this.deliver(entry);
      else if (this.isForMe(entry.to, entry.from)) this.control(entry.control);
    } catch (error) {
      this.options.onError(error);
    }
  }
}
