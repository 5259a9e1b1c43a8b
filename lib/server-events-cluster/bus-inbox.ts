import type { PublishedMessage } from "@/lib/server-events";
import { ALL_INSTANCES, type ControlMessage } from "./cluster";
import { decodeBusPayload } from "./bus-payload";

export interface BusInboxOptions {
  instanceId: string;
  onError(error: unknown): void;
  /**
   * Logged messages with `after < id <= through` (`through` may be Infinity), in id order. May
   * stop early after at least `BUS_READ_BATCH` messages; it is called again from the last one.
   */
  read(after: number, through: number): Promise<PublishedMessage[]>;
}

/** What a bus reads from its log at once. */
export const BUS_READ_BATCH = 500;

/**
 * The receiving half every cluster bus shares: payloads from the wire (NOTIFY, pub/sub) are applied
 * one at a time, strictly in id order. A gap (N+2 announced after N, or a message sent by
 * reference) is filled from the log first — the bus guarantees that every id below an announced
 * one is already readable. A failed step is reported and retried from the log shortly after.
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
      if (decoded.kind === "message") {
        const { id, message } = decoded;
        void this.enqueue(() => this.receiveMessage(id, message));
        return;
      }
      const { to, from, message } = decoded;
      const forMe =
        to === this.options.instanceId ||
        (to === ALL_INSTANCES && from !== this.options.instanceId);
      if (forMe) void this.enqueue(() => Promise.resolve(this.control(message)));
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

  private async receiveMessage(id: number, inline: PublishedMessage | null): Promise<void> {
    if (id <= this.last) return;
    if (inline && id === this.last + 1) return this.emit(inline);
    await this.catchUpTo(id);
    if (inline) this.emit(inline);
    this.last = Math.max(this.last, id);
  }

  private scheduleRetry(): void {
    if (this.closed || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.catchUp();
    }, 1_000);
    this.retryTimer.unref?.();
  }

  private emit(message: PublishedMessage): void {
    if (message.id <= this.last) return;
    this.last = message.id;
    try {
      this.deliver(message);
    } catch (error) {
      this.options.onError(error);
    }
  }
}
