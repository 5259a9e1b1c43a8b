/** One batch as the bus committed it, for metrics. */
export interface CommittedBatch {
  /** Entries committed together (messages and logged control messages). */
  size: number;
  /** How long the oldest entry waited for its batch to be sent, in ms. */
  waitMs: number;
  /** The commit itself (one statement or one script, round trip included), in ms. */
  commitMs: number;
}

/**
 * What a bus reports as it works. The provider calls it; the app decides where it goes (the Next
 * glue turns it into Prometheus histograms, lib/next/bus-metrics.ts). Must not throw.
 */
export interface BusObserver {
  batchCommitted?(batch: CommittedBatch): void;
}

export interface GroupCommitOptions<T> {
  /** Makes one batch durable, in order, all or nothing; resolves once it is. */
  commit: (items: T[]) => Promise<void>;
  /** @default 500 */
  maxItems?: number;
  /** Bytes per batch as `sizeOf` counts them (a batch holds at least one item). @default 4 MiB */
  maxBytes?: number;
  /** @default () => 0 */
  sizeOf?: (item: T) => number;
  /**
   * Batches sent before the first is committed. More than one only where commits cannot overtake
   * each other (Redis runs one connection's scripts in order); Postgres commits would race for
   * the counter, and ids would stop following submission order. @default 1
   */
  maxInFlight?: number;
  observer?: BusObserver | undefined;
  /** @default performance.now */
  now?: () => number;
}

interface Pending<T> {
  item: T;
  at: number;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Group commit: whatever is submitted while a batch is being committed goes into the next one, so a
 * lone publish pays one round trip and a burst pays one per batch. No timer: the batch size follows
 * the load by itself. Items are committed in submission order; each caller's promise settles when
 * its own batch does.
 */
export class GroupCommit<T> {
  private queue: Pending<T>[] = [];
  private readonly running = new Set<Promise<void>>();
  private inFlight = 0;
  private scheduled = false;
  private readonly now: () => number;

  constructor(private readonly options: GroupCommitOptions<T>) {
    this.now = options.now ?? (() => performance.now());
  }

  /** Resolves once `item` is committed; rejects with the commit's error if its batch failed. */
  submit(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ item, at: this.now(), resolve, reject });
      this.schedule();
    });
  }

  /** Items waiting for a batch (not yet sent). */
  get pending(): number {
    return this.queue.length;
  }

  /** Resolves once everything submitted so far has been committed (or has failed). */
  async idle(): Promise<void> {
    // An empty `running` with a non-empty queue means a batch is scheduled for this microtask turn.
    while (this.queue.length > 0 || this.running.size > 0) await Promise.all([...this.running]);
  }

  private schedule(): void {
    if (this.scheduled || this.queue.length === 0) return;
    if (this.inFlight >= (this.options.maxInFlight ?? 1)) return;
    this.scheduled = true;
    // A microtask, not a timer: everything submitted in the same turn joins the first batch.
    queueMicrotask(() => {
      this.scheduled = false;
      while (this.queue.length > 0 && this.inFlight < (this.options.maxInFlight ?? 1)) {
        const run = this.run(this.take());
        this.running.add(run);
        void run.finally(() => this.running.delete(run));
      }
    });
  }

  private take(): Pending<T>[] {
    const { maxItems = 500, maxBytes = 4 * 2 ** 20, sizeOf = () => 0 } = this.options;
    let bytes = 0;
    let count = 0;
    while (count < this.queue.length && count < maxItems) {
      bytes += sizeOf(this.queue[count]!.item);
      if (count > 0 && bytes > maxBytes) break;
      count++;
    }
    return this.queue.splice(0, count);
  }

  private async run(batch: Pending<T>[]): Promise<void> {
    this.inFlight++;
    const started = this.now();
    try {
      await this.options.commit(batch.map((pending) => pending.item));
      this.report(batch, started);
      for (const pending of batch) pending.resolve();
    } catch (error) {
      for (const pending of batch) pending.reject(error);
    } finally {
      this.inFlight--;
      this.schedule();
    }
  }

  private report(batch: Pending<T>[], started: number): void {
    try {
      this.options.observer?.batchCommitted?.({
        size: batch.length,
        waitMs: started - batch[0]!.at,
        commitMs: this.now() - started,
      });
    } catch {
      // Metrics must never fail a publish that committed.
    }
  }
}
