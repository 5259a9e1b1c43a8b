import type {
  PublishedMessage,
  PublishRequest,
  ReplayResult,
  SubscriptionInfo,
} from "@/lib/server-events";
import { BusInbox } from "./bus-inbox";
import type { BusListenerEvents } from "./bus-listener";
import { encodeControl, isControl, type BusEntry, type BusRequest } from "./bus-payload";
import type { BusContext, BusCounters, ClusterBus, ControlMessage } from "./cluster";
import { GroupCommit } from "./group-commit";

export interface LogBusOptions extends BusContext {
  /** Bodies one payload on the wire carries at most (pulses included). */
  inlineLimitBytes: number;
  /** Most entries one commit takes. @default 500 */
  maxBatchSize?: number | undefined;
  /** Batches sent before the first is committed (see GroupCommitOptions). @default 1 */
  maxInFlight?: number | undefined;
  /** Reads the log this often for anything a lost payload hid; never when unset. */
  pollIntervalMs?: number | undefined;
}

/** What a bus's listener looks like from the bus. */
interface Listener {
  readonly isListening: boolean;
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The skeleton both cluster buses share: the log is the truth and the wire (NOTIFY, pub/sub) the
 * wake-up. Publishes and logged control messages go out in group commits (`GroupCommit`); what
 * arrives is applied in id order (`BusInbox`); the first time the listener listens, delivery
 * starts after the log's head, and every time after that the bus catches up from the log, so a
 * lost connection loses nothing. A transport supplies the listener, and says how to commit a
 * batch, read the log, find its head, send a pulse, replay, number sequences and prune.
 */
export abstract class LogBus implements ClusterBus {
  readonly counters: BusCounters = {
    messagesPublished: 0,
    spilledPayloads: 0,
    listenerReconnects: 0,
  };
  /** The one listening connection, made by the transport with `listenerEvents()`. */
  abstract readonly listener: Listener;
  protected readonly inbox: BusInbox;
  /** Set by `close`: long loops (pruning) stop at it. */
  protected closed = false;
  private readonly commits: GroupCommit<BusRequest>;
  private pollTimer: ReturnType<typeof setInterval> | undefined;
  private ready: Promise<void> = Promise.resolve();

  constructor(protected readonly options: LogBusOptions) {
    this.inbox = new BusInbox({
      instanceId: options.instanceId,
      onError: (error) => options.onError(error),
      read: (after, through) => this.read(after, through),
    });
    this.commits = new GroupCommit({
      commit: (batch) => this.commit(batch),
      maxItems: options.maxBatchSize ?? 500,
      sizeOf: (entry) => (isControl(entry) ? 256 : entry.json.length + entry.selector.length),
      maxInFlight: options.maxInFlight,
      observer: options.observer,
    });
  }

  async connect(deliver: (message: PublishedMessage) => void): Promise<void> {
    this.inbox.deliver = deliver;
    await this.listener.start();
    // Set by the first LISTEN: rejects when the log's head cannot be read.
    await this.ready;
    if (this.options.pollIntervalMs === undefined) return;
    this.pollTimer = setInterval(() => void this.catchUp(), this.options.pollIntervalMs);
    this.pollTimer.unref?.();
  }

  onControl(handler: (message: ControlMessage) => void): void {
    this.inbox.control = handler;
  }

  head(): number {
    return this.inbox.last;
  }

  /** Resolves once the message is committed (with whatever was published alongside). */
  async publish(request: PublishRequest): Promise<void> {
    await this.commits.submit(request);
  }

  /** Logged in the same batches as messages, except pulses (see ClusterBus.sendControl). */
  async sendControl(instanceId: string, message: ControlMessage): Promise<void> {
    if (message.type !== "pulse")
      return this.commits.submit({
        to: instanceId,
        from: this.options.instanceId,
        control: message,
      });
    const { instanceId: from, inlineLimitBytes } = this.options;
    await this.sendUnlogged(encodeControl(instanceId, from, message, inlineLimitBytes));
  }

  catchUp(): Promise<void> {
    return this.inbox.catchUp();
  }

  get isListening(): boolean {
    return this.listener.isListening;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.pollTimer);
    await this.commits.idle();
    await this.listener.close();
    await this.inbox.close();
  }

  abstract replay(afterId: number, subscription: SubscriptionInfo): Promise<ReplayResult>;
  abstract nextSequence(name: string): Promise<number>;
  abstract pruneMessages(): Promise<void>;
  abstract reset(): Promise<void>;

  /**
   * Makes one batch durable (ids follow the batch's order, all or nothing) and announces it on
   * the wire; resolves with how many entries the wire carries by reference.
   */
  protected abstract commitBatch(batch: readonly BusRequest[]): Promise<number>;

  /** Log entries with `after < id <= through` (`through` may be Infinity), at most a read batch. */
  protected abstract read(after: number, through: number): Promise<BusEntry[]>;

  /** The newest id in the log now: a new instance delivers only what comes after it. */
  protected abstract readHead(): Promise<number>;

  /** One payload on the wire, not logged (a pulse). */
  protected abstract sendUnlogged(payload: string): Promise<void>;

  /** For the transport's listener: payloads to the inbox, each new LISTEN to a catch-up. */
  protected listenerEvents(): BusListenerEvents {
    return {
      onPayload: (payload) => this.inbox.receive(payload),
      onListening: (reconnected) => this.listening(reconnected),
      onError: (error) => this.options.onError(error),
    };
  }

  private listening(reconnected: boolean): void {
    if (!reconnected) {
      this.ready = this.inbox.enqueue(async () => {
        const head = await this.readHead();
        this.inbox.last = Math.max(this.inbox.last, head);
      });
      return;
    }
    this.counters.listenerReconnects++;
    void this.inbox.catchUp();
  }

  private async commit(batch: BusRequest[]): Promise<void> {
    const byReference = await this.commitBatch(batch);
    this.counters.spilledPayloads += byReference;
    this.counters.messagesPublished += batch.filter((entry) => !isControl(entry)).length;
  }
}
