import type { MemoryServerEvents, Subscription } from "@/lib/server-events";
import type { ClusterBus, ClusterStore, StoredSubscription } from "./cluster";

interface HousekeepingInit {
  bus: ClusterBus;
  store: ClusterStore;
  instanceId: string;
}

/** Heartbeats of local subscriptions are written at most this often (one UPDATE for all). */
const PULSE_FLUSH_MS = 1_000;

/**
 * Keeps the store in step with this instance's connections and expires what nobody holds any more:
 * batched heartbeat writes, rows of crashed instances (their onLeave sent by whoever removes the
 * row first), and the message log's retention.
 */
export class ClusterHousekeeping {
  /** Local subscriptions whose row has been written: a missing row then means "removed elsewhere". */
  private readonly persisted = new Set<string>();
  private readonly pendingPulses = new Set<string>();
  /** The last channel write per subscription: writes of one subscription run one after another. */
  private readonly channelWrites = new Map<string, Promise<void>>();
  /** Local subscriptions whose row `leaveAll` removed on stop: their leaving needs no query. */
  private readonly leftOnStop = new Set<string>();
  /** Rows removed whose onLeave could not be published: each pass tries again. */
  private readonly unannounced = new Map<string, StoredSubscription>();
  /** Local subscriptions that left but whose row could not be removed: each pass tries again. */
  private readonly unremoved = new Set<string>();
  private pulseTimer: ReturnType<typeof setTimeout> | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private running: Promise<number> | undefined;

  constructor(
    private readonly local: MemoryServerEvents,
    private readonly init: HousekeepingInit,
  ) {}

  private get options() {
    return this.local.options;
  }

  async added(sub: Subscription): Promise<void> {
    await this.init.store.insert(this.init.instanceId, sub.toInfo());
    this.persisted.add(sub.id);
  }

  /** False when its row was removed already (its onLeave sent by whoever removed it). */
  async removed(sub: Subscription): Promise<boolean> {
    this.persisted.delete(sub.id);
    this.pendingPulses.delete(sub.id);
    if (this.leftOnStop.delete(sub.id)) return false;
    try {
      return (await this.init.store.remove(sub.id)) !== null;
    } catch (error) {
      this.options.onError(error, sub);
      // Its onLeave goes now; the row goes on the next pass (no other instance expires this
      // instance's rows before it, which would announce the leave a second time).
      this.unremoved.add(sub.id);
      return true;
    }
  }

  /**
   * Writes the subscription's channels as they are when the write runs, after any earlier write of
   * the same subscription: changes applied back to back (a catch-up replaying several remote
   * channel changes) would otherwise race on the pool and leave an older list in the row.
   */
  channelsChanged(sub: Subscription): Promise<void> {
    const previous = this.channelWrites.get(sub.id) ?? Promise.resolve();
    const write = previous
      .catch(() => undefined)
      .then(() => this.init.store.updateChannels(sub.id, sub.channels, sub.meta));
    this.channelWrites.set(sub.id, write);
    void write.then(
      () => this.forgetWrite(sub.id, write),
      () => this.forgetWrite(sub.id, write),
    );
    return write;
  }

  pulsed(id: string): void {
    this.pendingPulses.add(id);
    this.pulseTimer ??= setTimeout(
      () => {
        this.flushPulses().catch((error: unknown) => this.options.onError(error));
      },
      Math.min(PULSE_FLUSH_MS, this.options.houseKeepingIntervalMs),
    );
    this.pulseTimer.unref?.();
  }

  private forgetWrite(id: string, write: Promise<void>): void {
    if (this.channelWrites.get(id) === write) this.channelWrites.delete(id);
  }

  /**
   * One onLeave per channel, published together: the bus commits them in one batch. Its row is
   * already removed, so nobody else will announce it: one that cannot be published now (the
   * database or Redis down) is tried again on every pass until it is.
   */
  async announceLeave(row: StoredSubscription): Promise<void> {
    if (!this.options.notifyChannelOfSubscriptions) return;
    const json = JSON.stringify(row.meta);
    try {
      await Promise.all(
        row.channels.map((channel) =>
          this.init.bus.publish({
            target: { kind: "channel", value: channel },
            selector: "cmd.onLeave",
            json,
          }),
        ),
      );
      this.unannounced.delete(row.id);
    } catch (error) {
      this.unannounced.set(row.id, row);
      throw error;
    }
  }

  /**
   * This instance's subscriptions leave their channels (graceful shutdown, or rows an earlier
   * process with this id left behind): one removal, and every onLeave published at once, so the
   * bus commits them in a few batches. One commit each took seconds per thousand subscriptions,
   * past a shutdown's deadline, and the rows already removed were then never announced.
   */
  async leaveAll({ onStop = false } = {}): Promise<void> {
    const rows = await this.init.store.removeInstance(this.init.instanceId);
    if (onStop) for (const row of rows) this.leftOnStop.add(row.id);
    await Promise.all(rows.map((row) => this.announceLeave(row)));
  }

  forgetAll(): void {
    this.persisted.clear();
    this.pendingPulses.clear();
  }

  /** Rows left by an earlier process with the same instance id belong to dead connections. */
  async start(): Promise<void> {
    await this.leaveAll();
    this.timer ??= setInterval(() => {
      this.run().catch((error: unknown) => this.options.onError(error));
    }, this.options.houseKeepingIntervalMs);
    this.timer.unref?.();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
    await this.flushPulses().catch((error: unknown) => this.options.onError(error));
  }

  /**
   * A pass that starts after this call (a pass already running may have judged "expired" before
   * the call); calls that overlap share the next pass. Resolves with how many subscriptions
   * expired since the call, the running pass's included.
   */
  async run(): Promise<number> {
    const earlier = this.running ? await this.running.catch(() => 0) : 0;
    this.running ??= this.pass().finally(() => (this.running = undefined));
    return earlier + (await this.running);
  }

  private async pass(): Promise<number> {
    await this.retryLeaves();
    await this.flushPulses();
    await this.syncLocal();
    const local = await this.local.removeExpiredSubscriptions();
    const remote = await this.expireRemote();
    await this.init.bus.pruneMessages();
    return local + remote;
  }

  /**
   * Leaves that failed half-way (row kept, or onLeave unsent) are finished; the first failure
   * (the store still down) is reported and the rest wait for the next pass.
   */
  private async retryLeaves(): Promise<void> {
    try {
      for (const id of [...this.unremoved]) {
        await this.init.store.remove(id);
        this.unremoved.delete(id);
      }
      for (const row of [...this.unannounced.values()]) await this.announceLeave(row);
    } catch (error) {
      this.options.onError(error);
    }
  }

  private async flushPulses(): Promise<void> {
    clearTimeout(this.pulseTimer);
    this.pulseTimer = undefined;
    if (this.pendingPulses.size === 0) return;
    const ids = [...this.pendingPulses];
    this.pendingPulses.clear();
    await this.init.store.touch(ids);
  }

  /**
   * A local subscription whose row is gone was removed by another instance (remote unregister or
   * expiry, onLeave already sent there) and the control message telling us was lost: close it.
   */
  private async syncLocal(): Promise<void> {
    // Only rows written before the query can be judged by it.
    const candidates = [...this.persisted];
    const ids = await this.init.store.idsOf(this.init.instanceId);
    for (const id of candidates)
      if (!ids.has(id) && this.local.localSubscription(id)) await this.local.unRegister(id);
  }

  /**
   * Other instances' rows idle past the timeout plus one sweep interval: the owner (if alive) had
   * its chance to expire them itself, so these belong to an instance that died (kill -9).
   */
  private async expireRemote(): Promise<number> {
    const graceMs = this.options.houseKeepingIntervalMs;
    const expired = await this.init.store.removeExpired(
      this.init.instanceId,
      this.options.idleTimeoutMs + graceMs,
    );
    for (const row of expired) {
      // One that fails must not cost the others their onLeave (it is retried: announceLeave).
      await this.init.bus
        .sendControl(row.instanceId, { type: "unregister", id: row.id })
        .catch((error: unknown) => this.options.onError(error));
      await this.announceLeave(row).catch((error: unknown) => this.options.onError(error));
    }
    return expired.length;
  }
}
