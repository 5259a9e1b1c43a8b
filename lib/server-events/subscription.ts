import { applyChannels } from "./apply-channels";
import type { EventStreamSink } from "./event-stream-sink";
import type { AddressableSubscription } from "./message";
import type { ServerEvents } from "./server-events";
import { SubscriptionConnection } from "./subscription-connection";

const encoder = new TextEncoder();

/** What every provider can tell about a subscription, wherever it is connected. */
export interface SubscriptionInfo extends AddressableSubscription {
  displayName: string;
  isAuthenticated: boolean;
  profileUrl: string;
  createdAt: number;
  lastPulseAt: number;
  userAddress: string | null;
  /** Public: sent to channel peers and listed by /event-subscribers. All values are strings. */
  meta: Record<string, string>;
  /** Private to the subscriber: merged into its `cmd.onConnect`. */
  connectArgs: Record<string, string>;
  /** Server only: never written to any client. */
  serverArgs: Record<string, string>;
}

export type SubscriptionInit = Omit<SubscriptionInfo, "meta" | "lastPulseAt"> & {
  meta?: Record<string, string>;
};

/**
 * What a subscription asks of the provider holding it, so that hook code can act on the
 * subscription it was given (ServiceStack's `IEventSubscription.Publish`, `Pulse`,
 * `UnsubscribeAsync`): published messages go through the provider's log (replayable, and across
 * instances on Postgres and Redis), and channel changes through its index.
 */
export type SubscriptionOwner = Pick<
  ServerEvents,
  | "notifySubscription"
  | "notifySubscriptionJson"
  | "pulse"
  | "unRegister"
  | "subscribeToChannels"
  | "unsubscribeFromChannels"
>;

/** One open event stream: its identity, channels and the connection frames are written to. */
export class Subscription extends SubscriptionConnection implements SubscriptionInfo {
  readonly id: string;
  readonly userId: string;
  readonly userName: string | null;
  readonly displayName: string;
  readonly sessionId: string | null;
  readonly isAuthenticated: boolean;
  readonly profileUrl: string;
  readonly createdAt: number;
  readonly userAddress: string | null;
  meta: Record<string, string>;
  connectArgs: Record<string, string>;
  serverArgs: Record<string, string>;
  lastPulseAt: number;
  /**
   * Runs when this subscription is unsubscribed, after the provider's `onUnsubscribe` hook
   * (ServiceStack's per-subscription `OnUnsubscribe`).
   */
  onUnsubscribe: ((subscription: Subscription) => void | Promise<void>) | undefined;
  private owner: SubscriptionOwner | undefined;
  private channelList: string[];

  constructor(init: SubscriptionInit, sink: EventStreamSink | null) {
    super(sink);
    this.id = init.id;
    this.userId = init.userId;
    this.userName = init.userName;
    this.displayName = init.displayName;
    this.sessionId = init.sessionId;
    this.isAuthenticated = init.isAuthenticated;
    this.profileUrl = init.profileUrl;
    this.createdAt = init.createdAt;
    this.userAddress = init.userAddress;
    this.channelList = [...init.channels];
    this.connectArgs = { ...init.connectArgs };
    this.serverArgs = { ...init.serverArgs };
    this.lastPulseAt = init.createdAt;
    this.meta = {
      userId: this.userId,
      isAuthenticated: String(this.isAuthenticated),
      displayName: this.displayName,
      channels: this.channels.join(","),
      createdAt: String(this.createdAt),
      profileUrl: this.profileUrl,
      ...init.meta,
    };
  }

  /**
   * Read-only: channels change through `subscribeToChannels`/`unsubscribeFromChannels` (here or on
   * the provider), which keep the index, the store and onUpdate in step.
   */
  get channels(): readonly string[] {
    return this.channelList;
  }

  [applyChannels](channels: readonly string[]): void {
    this.channelList = [...channels];
    this.meta.channels = this.channelList.join(",");
  }

  /** Called by the provider that registers it. */
  attach(owner: SubscriptionOwner): void {
    this.owner = owner;
  }

  private requireOwner(): SubscriptionOwner {
    if (!this.owner) throw new Error(`Subscription '${this.id}' is not registered`);
    return this.owner;
  }

  /** Sends `message` (serialized) to this subscription alone; replayable like any message. */
  publish(selector: string, message: unknown, channel?: string): Promise<void> {
    return this.requireOwner().notifySubscription(this.id, selector, message, channel);
  }

  /**
   * `publish` with a body that is JSON already, sent as it is (made one line if it is not): what
   * ServiceStack's `Publish(selector, string)` does with a serialized DTO.
   */
  publishJson(selector: string, json: string, channel?: string): Promise<void> {
    return this.requireOwner().notifySubscriptionJson(this.id, selector, json, channel);
  }

  /**
   * Writes `frames` (whole SSE frames: each ends with a blank line, LF only) to this stream as they
   * are, outside the message log: they carry no id and are not replayed. For hook code that
   * needs a frame ServiceStack's format cannot express; everything else should use `publish`.
   * @returns false when the stream is gone or too slow
   */
  publishRaw(frames: string): boolean {
    if (!frames.endsWith("\n\n") || frames.includes("\r"))
      throw new TypeError(
        "publishRaw takes whole SSE frames: LF line ends, each ending with a blank line",
      );
    return this.sink?.write(encoder.encode(frames)) ?? false;
  }

  /** A heartbeat from the server side: refreshes the idle timer and writes `cmd.onHeartbeat`. */
  pulse(): Promise<boolean> {
    return this.requireOwner().pulse(this.id);
  }

  /** Unregisters this subscription: its stream ends and its channels get onLeave. */
  async unsubscribeAsync(): Promise<void> {
    await this.requireOwner().unRegister(this.id);
  }

  /** Joins `channels` through the provider (index, store, onUpdate), as `/event-subscribers/{id}`. */
  subscribeToChannels(channels: readonly string[]): Promise<void> {
    return this.requireOwner().subscribeToChannels(this.id, channels);
  }

  unsubscribeFromChannels(channels: readonly string[]): Promise<void> {
    return this.requireOwner().unsubscribeFromChannels(this.id, channels);
  }

  /** Meta as the one-line JSON that onJoin/onLeave/onUpdate/onHeartbeat carry. */
  metaJson(): string {
    return JSON.stringify(this.meta);
  }

  toInfo(): SubscriptionInfo {
    return {
      id: this.id,
      userId: this.userId,
      userName: this.userName,
      displayName: this.displayName,
      sessionId: this.sessionId,
      isAuthenticated: this.isAuthenticated,
      profileUrl: this.profileUrl,
      createdAt: this.createdAt,
      lastPulseAt: this.lastPulseAt,
      userAddress: this.userAddress,
      channels: [...this.channels],
      meta: { ...this.meta },
      connectArgs: { ...this.connectArgs },
      serverArgs: { ...this.serverArgs },
    };
  }
}
