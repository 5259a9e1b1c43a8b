import type { MemoryServerEvents, ServerEvents } from "@/lib/server-events";

/**
 * The `ServerEvents` methods a cluster provider answers exactly as its local `MemoryServerEvents`
 * does. The hub's transport is the bus, so publishing from it already reaches every instance and
 * numbering a sequence already goes to the shared backend; and the bus brings every instance every
 * message, so the hub's observers see the whole cluster's traffic.
 */
export const LOCAL_HUB_METHODS = [
  "notifyAll",
  "notifyAllJson",
  "notifyChannel",
  "notifyChannelJson",
  "notifySubscription",
  "notifySubscriptionJson",
  "notifyUserId",
  "notifyUserIdJson",
  "notifyUserName",
  "notifyUserNameJson",
  "notifySession",
  "notifySessionJson",
  "observeMessages",
  "getNextSequence",
] as const satisfies readonly (keyof ServerEvents)[];

export type LocalHubMethod = (typeof LOCAL_HUB_METHODS)[number];

/** An instance of {@link LocalHub}: the listed methods, answered by `local`. */
export type LocalHubMethods = Pick<ServerEvents, LocalHubMethod> & {
  /** This process's connections, hooks, presence and fan-out. */
  readonly local: MemoryServerEvents;
};

type LocalHubClass = new (local: MemoryServerEvents) => LocalHubMethods;

/**
 * The base class of the cluster provider: its prototype answers each of `LOCAL_HUB_METHODS` by
 * calling the same method on `local`, so the list above is the only place they are named. Every
 * other `ServerEvents` method is the subclass's to write: one it forgets (a new method added to
 * the interface, say) fails its `implements ServerEvents` at compile time.
 */
export const LocalHub: LocalHubClass = (() => {
  class Hub {
    constructor(readonly local: MemoryServerEvents) {}
  }
  for (const name of LOCAL_HUB_METHODS)
    Object.defineProperty(Hub.prototype, name, {
      value(this: Hub, ...args: unknown[]): unknown {
        return (this.local[name] as (...args: unknown[]) => unknown).apply(this.local, args);
      },
      writable: true,
      configurable: true,
    });
  return Hub as LocalHubClass;
})();
