import type { NotifyTarget } from "./message";
import { applyChannels } from "./apply-channels";
import type { Subscription } from "./subscription";

type Key = "channel" | "userId" | "userName" | "session";

/** Local subscriptions by id, channel, user id, user name and session — O(1) fan-out lookups. */
export class SubscriptionIndex {
  private readonly byId = new Map<string, Subscription>();
  private readonly byKey: Record<Key, Map<string, Set<Subscription>>> = {
    channel: new Map(),
    userId: new Map(),
    userName: new Map(),
    session: new Map(),
  };

  get size(): number {
    return this.byId.size;
  }

  get(id: string): Subscription | undefined {
    return this.byId.get(id);
  }

  all(): IterableIterator<Subscription> {
    return this.byId.values();
  }

  channelNames(): string[] {
    return [...this.byKey.channel.keys()];
  }

  /** How many subscriptions each channel has, without copying them. */
  channelSizes(): Map<string, number> {
    return new Map([...this.byKey.channel].map(([channel, subs]) => [channel, subs.size]));
  }

  inChannel(channel: string): ReadonlySet<Subscription> {
    return this.byKey.channel.get(channel) ?? new Set();
  }

  add(sub: Subscription): void {
    this.byId.set(sub.id, sub);
    for (const channel of sub.channels) this.link("channel", channel, sub);
    this.link("userId", sub.userId, sub);
    if (sub.userName) this.link("userName", sub.userName, sub);
    if (sub.sessionId) this.link("session", sub.sessionId, sub);
  }

  remove(sub: Subscription): boolean {
    if (this.byId.get(sub.id) !== sub) return false;
    this.byId.delete(sub.id);
    for (const channel of sub.channels) this.unlink("channel", channel, sub);
    this.unlink("userId", sub.userId, sub);
    if (sub.userName) this.unlink("userName", sub.userName, sub);
    if (sub.sessionId) this.unlink("session", sub.sessionId, sub);
    return true;
  }

  /** Re-indexes a subscription whose channel list is about to change. */
  setChannels(sub: Subscription, channels: readonly string[]): void {
    for (const channel of sub.channels) this.unlink("channel", channel, sub);
    sub[applyChannels](channels);
    for (const channel of sub.channels) this.link("channel", channel, sub);
  }

  /** Candidate recipients for a target (the channel filter is applied by the caller). */
  recipients(target: NotifyTarget): Iterable<Subscription> {
    switch (target.kind) {
      case "all":
        return this.byId.values();
      case "subscription": {
        const sub = this.byId.get(target.value);
        return sub ? [sub] : [];
      }
      case "channel":
        return this.byKey.channel.get(target.value) ?? [];
      default:
        return this.byKey[target.kind].get(target.value) ?? [];
    }
  }

  clear(): void {
    this.byId.clear();
    for (const map of Object.values(this.byKey)) map.clear();
  }

  private link(key: Key, value: string, sub: Subscription): void {
    let set = this.byKey[key].get(value);
    if (!set) this.byKey[key].set(value, (set = new Set()));
    set.add(sub);
  }

  private unlink(key: Key, value: string, sub: Subscription): void {
    const set = this.byKey[key].get(value);
    if (!set) return;
    set.delete(sub);
    if (set.size === 0) this.byKey[key].delete(value);
  }
}
