import type { ChannelChange } from "./channel-change";
import type { PublishedMessage } from "./message";
import type { ResolvedServerEventsOptions } from "./options";
import type { ServerEventsStats } from "./stats";
import type { Subscription, SubscriptionInfo } from "./subscription";

export interface RegisterOptions {
  /** The client's `Last-Event-ID`: replay what it missed before going live. */
  lastEventId?: number | undefined;
}

/**
 * ServiceStack's `IServerEvents`, camelCased and async. Every provider implements it; one contract
 * suite (`server-events.contract.ts`) runs against each.
 * @see https://docs.servicestack.net/server-events
 */
export interface ServerEvents {
  readonly options: ResolvedServerEventsOptions;

  /** Every subscription. The optional channel is a filter only: no `channel@` prefix is added. */
  notifyAll(selector: string, message: unknown): Promise<void>;
  notifyAllJson(selector: string, json: string): Promise<void>;
  /** Members of `channel`; frames carry `channel@selector`. */
  notifyChannel(channel: string, selector: string, message: unknown): Promise<void>;
  notifyChannelJson(channel: string, selector: string, json: string): Promise<void>;
  notifySubscription(
    id: string,
    selector: string,
    message: unknown,
    channel?: string,
  ): Promise<void>;
  notifySubscriptionJson(
    id: string,
    selector: string,
    json: string,
    channel?: string,
  ): Promise<void>;
  notifyUserId(userId: string, selector: string, message: unknown, channel?: string): Promise<void>;
  notifyUserIdJson(userId: string, selector: string, json: string, channel?: string): Promise<void>;
  notifyUserName(
    userName: string,
    selector: string,
    message: unknown,
    channel?: string,
  ): Promise<void>;
  notifyUserNameJson(
    userName: string,
    selector: string,
    json: string,
    channel?: string,
  ): Promise<void>;
  notifySession(
    sessionId: string,
    selector: string,
    message: unknown,
    channel?: string,
  ): Promise<void>;
  notifySessionJson(
    sessionId: string,
    selector: string,
    json: string,
    channel?: string,
  ): Promise<void>;

  getSubscriptionInfo(id: string): Promise<SubscriptionInfo | null>;
  getSubscriptionInfosByUserId(userId: string): Promise<SubscriptionInfo[]>;
  getAllSubscriptionInfos(): Promise<SubscriptionInfo[]>;
  /**
   * Public `meta` of the members of any of `channels`, de-duplicated, in channel order. Takes the
   * channels as arguments, as ServiceStack's `params string[]` does, or as one array.
   */
  getSubscriptionsDetails(
    ...channels: (string | readonly string[])[]
  ): Promise<Record<string, string>[]>;
  getAllSubscriptionsDetails(): Promise<Record<string, string>[]>;

  /** Writes `cmd.onConnect`, replays from `lastEventId`, indexes, runs onSubscribe, sends onJoin. */
  register(
    subscription: Subscription,
    connectArgs: Record<string, string>,
    options?: RegisterOptions,
  ): Promise<void>;
  /**
   * Removes the subscription (by id, or the subscription itself), ends its stream and sends
   * onLeave. Returns what it was, or null.
   */
  unRegister(subscription: string | Subscription): Promise<SubscriptionInfo | null>;
  subscribeToChannels(id: string, channels: readonly string[]): Promise<void>;
  unsubscribeFromChannels(id: string, channels: readonly string[]): Promise<void>;
  /**
   * ServiceStack's `UpdateEventSubscriber`: unsubscribe, then subscribe, each step with its own
   * onUpdate; the list the two would leave is checked first, so a refused change changes nothing.
   */
  changeChannels(id: string, change: ChannelChange): Promise<void>;
  /** A heartbeat: refreshes the idle timer and writes `cmd.onHeartbeat`. False if unknown. */
  pulse(id: string): Promise<boolean>;
  /** Removes subscriptions idle past `idleTimeoutMs`; returns how many were removed. */
  removeExpiredSubscriptions(): Promise<number>;
  getNextSequence(name: string): Promise<number>;
  /**
   * Calls `listener` with every message this instance delivers — published here or, on a cluster
   * provider, on any instance — whether or not anyone here receives it, presence frames included.
   * For server-side observers (the admin dashboard's traffic meter); keep it cheap, it runs once
   * per message. Returns the remover.
   */
  observeMessages(listener: (message: PublishedMessage) => void): () => void;
  /** Counters since start (open subscriptions, messages, deliveries, …), like ServiceStack's GetStats. */
  getStats(): Promise<ServerEventsStats>;
  /** Forgets every subscription without closing streams: clients learn it from a heartbeat 404. */
  reset(): Promise<void>;
  start(): Promise<void>;
  /**
   * Whether this instance can serve now: the database or Redis answers and the listener is live.
   * Health checks (`/readyz`) call it; it never throws.
   */
  checkReadiness(): Promise<Readiness>;
  /** Ends every stream with a `retry:` hint, so that clients resume elsewhere at once. */
  stop(options?: StopOptions): Promise<void>;
}

export interface StopOptions {
  /** Every subscription's onLeave goes to its channels, cluster-wide (graceful shutdown). */
  notify?: boolean;
  /**
   * With `notify`: end the streams only once the onLeave are published, for a host that exits as
   * soon as its connections close (`next start`). By default they end first, so that clients
   * move on at once and are not sent the leaves of everyone else going down with this instance.
   */
  keepStreamsUntilLeft?: boolean;
}

/** What `checkReadiness` found: ready, or not with a reason an operator can act on. */
export type Readiness = { ready: true } | { ready: false; reason: string };
