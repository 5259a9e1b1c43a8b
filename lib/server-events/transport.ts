import type { SubscriptionInfo } from "./subscription";
import { MessageLog, type ReplayResult } from "./message-log";
import type { PublishedMessage, PublishRequest } from "./message";
import { isAddressedTo, isPresence } from "./message";
import { audienceKeysOf } from "./target-shares";

/**
 * The seam between Server Events semantics and how messages travel. The memory provider delivers
 * through it; a cluster provider (Postgres, Redis) swaps in a transport that gives each message its
 * global id, carries it to every instance and keeps the replay log — the semantics stay in one place.
 */
export interface MessageTransport {
  /** Gives the message its id and hands it to `deliver` on every instance, this one included. */
  publish(request: PublishRequest): Promise<void>;
  /** Messages after `afterId` addressed to `subscription`, in id order. */
  replay(afterId: number, subscription: SubscriptionInfo): Promise<ReplayResult>;
  /** The highest id this instance has delivered: messages at or below it predate a new connection. */
  head(): number;
  nextSequence(name: string): Promise<number>;
  /** Called once by the provider that owns this transport. */
  connect(deliver: (message: PublishedMessage) => void): Promise<void>;
  close(): Promise<void>;
  /** Forgets replay history (ServerEvents.reset). */
  reset(): Promise<void>;
}

export interface InProcessTransportOptions {
  replayRetentionMs: number;
  replayMaxMessages: number;
  replayMaxBytes?: number;
  now: () => number;
}

/** Single-process delivery: a counter, bounded logs and a direct call. */
export class InProcessTransport implements MessageTransport {
  private readonly log: MessageLog;
  /** Presence frames, in a window of their own: dropping them never makes a resume incomplete. */
  private readonly presenceLog: MessageLog;
  private readonly sequences = new Map<string, number>();
  /**
   * Ids start from the start time (µs), so a client resuming with an id from before a restart holds
   * an id below every id of this process: it gets the whole window, marked incomplete, instead of a
   * slice of unrelated messages that happen to have larger ids. The first id itself is never
   * published: it is what `cmd.onConnect` carries on a connection made before any message.
   */
  private readonly firstId: number;
  private lastId: number;
  private deliver: (message: PublishedMessage) => void = () => undefined;

  constructor(private readonly options: InProcessTransportOptions) {
    this.log = new MessageLog(
      options.replayRetentionMs,
      options.replayMaxMessages,
      options.now,
      options.replayMaxBytes,
    );
    this.presenceLog = new MessageLog(
      options.replayRetentionMs,
      options.replayMaxMessages,
      options.now,
      options.replayMaxBytes,
    );
    this.firstId = this.lastId = Math.max(1, Math.floor(options.now()) * 1000);
  }

  connect(deliver: (message: PublishedMessage) => void): Promise<void> {
    this.deliver = deliver;
    return Promise.resolve();
  }

  publish(request: PublishRequest): Promise<void> {
    const message: PublishedMessage = {
      ...request,
      id: ++this.lastId,
      createdAt: this.options.now(),
    };
    (isPresence(message) ? this.presenceLog : this.log).append(message);
    this.deliver(message);
    return Promise.resolve();
  }

  replay(afterId: number, subscription: SubscriptionInfo): Promise<ReplayResult> {
    const fromEarlierProcess = afterId < this.firstId;
    const from = Math.max(afterId, this.firstId);
    const { messages, complete } = this.log.since(from, audienceKeysOf(subscription));
    const presence = this.presenceLog.since(from).messages;
    const merged = presence.length === 0 ? messages : mergeById(messages, presence);
    return Promise.resolve({
      messages: merged.filter((message) => isAddressedTo(message, subscription)),
      complete: complete && !fromEarlierProcess,
    });
  }

  head(): number {
    return this.lastId;
  }

  nextSequence(name: string): Promise<number> {
    const next = (this.sequences.get(name) ?? 0) + 1;
    this.sequences.set(name, next);
    return Promise.resolve(next);
  }

  reset(): Promise<void> {
    this.log.clear();
    this.presenceLog.clear();
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

function mergeById(a: PublishedMessage[], b: PublishedMessage[]): PublishedMessage[] {
  const merged: PublishedMessage[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]!.id < b[j]!.id)) merged.push(a[i++]!);
    else merged.push(b[j++]!);
  }
  return merged;
}
