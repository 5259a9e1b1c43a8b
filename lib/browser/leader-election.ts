/** The part of the Web Locks API the election needs (`navigator.locks`). */
export interface LockManagerLike {
  request(
    name: string,
    options: { signal?: AbortSignal },
    callback: (lock: unknown) => Promise<void>,
  ): Promise<unknown>;
}

/** `navigator.locks`, or `undefined` where there is none (Node, old browsers, insecure origins). */
export function browserLocks(): LockManagerLike | undefined {
  // Typed as always there, but insecure origins have none.
  return typeof navigator === "undefined" ? undefined : (navigator.locks ?? undefined);
}

export interface Election {
  /** Gives up leadership, or stops waiting for it. Idempotent. */
  resign(): void;
}

/**
 * Elects one leader among a browser's tabs: each tab queues for an exclusive Web Lock named
 * `name`; the holder is the leader until it resigns or its tab goes away (the browser releases
 * a dead tab's locks), when the next tab in the queue takes over. Unlike heartbeat-based
 * elections over BroadcastChannel alone, there is no timeout to tune and never two leaders.
 *
 * With no `locks` (old browsers, insecure origins) every tab leads itself.
 */
export function electLeader(
  locks: LockManagerLike | null | undefined,
  name: string,
  onElected: () => void,
): Election {
  if (!locks) {
    onElected();
    return { resign() {} };
  }
  const abort = new AbortController();
  let release: (() => void) | undefined;
  let resigned = false;
  locks
    .request(name, { signal: abort.signal }, () => {
      if (resigned) return Promise.resolve();
      onElected();
      return new Promise<void>((resolve) => (release = resolve));
    })
    .catch(() => {
      // AbortError after resigning while queued: nothing to do.
    });
  return {
    resign() {
      if (resigned) return;
      resigned = true;
      if (release) release();
      else abort.abort();
    },
  };
}
