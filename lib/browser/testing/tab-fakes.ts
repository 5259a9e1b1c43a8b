import {
  parseServerEventData,
  type ConnectionState,
  type ServerEventMessage,
} from "@/lib/server-events-client";
import type { LockManagerLike } from "../leader-election";
import {
  SharedEventStream,
  type BroadcastChannelLike,
  type StreamClient,
  type StreamClientHooks,
} from "../shared-event-stream";

/** Web Locks in one process: one holder per name, the others queue in order. */
class FakeLocks implements LockManagerLike {
  readonly #queues = new Map<string, (() => void)[]>();
  readonly #held = new Set<string>();

  request(
    name: string,
    options: { signal?: AbortSignal },
    callback: (lock: unknown) => Promise<void>,
  ) {
    return new Promise<void>((resolve, reject) => {
      const run = () => {
        this.#held.add(name);
        void callback(null).then(() => {
          this.#held.delete(name);
          resolve();
          this.#queues.get(name)?.shift()?.();
        });
      };
      if (!this.#held.has(name)) return run();
      const queue = this.#queues.get(name) ?? [];
      queue.push(run);
      this.#queues.set(name, queue);
      options.signal?.addEventListener("abort", () => {
        queue.splice(queue.indexOf(run), 1);
        reject(new DOMException("aborted", "AbortError"));
      });
    });
  }
}

/** BroadcastChannel: delivers asynchronously to every other member. */
class FakeHub {
  readonly members = new Set<FakeBus>();
  open(): FakeBus {
    return new FakeBus(this);
  }
}
class FakeBus implements BroadcastChannelLike {
  readonly #listeners: ((event: MessageEvent) => void)[] = [];
  constructor(readonly hub: FakeHub) {
    hub.members.add(this);
  }
  postMessage(message: unknown): void {
    const data = structuredClone(message);
    for (const member of this.hub.members)
      if (member !== this)
        queueMicrotask(() => member.#listeners.forEach((l) => l({ data } as MessageEvent)));
  }
  addEventListener(_: "message", listener: (event: MessageEvent) => void): void {
    this.#listeners.push(listener);
  }
  close(): void {
    this.hub.members.delete(this);
  }
}

/** The leader's client: opens at once, records its channel updates. */
export class FakeClient implements StreamClient {
  state: ConnectionState = "connecting";
  connectionInfo = null;
  stopped = false;
  readonly updates: { subscribeChannels?: string[]; unsubscribeChannels?: string[] }[] = [];
  constructor(
    public channels: string[],
    readonly hooks: StreamClientHooks,
    /** Where it was told to resume from. */
    readonly lastEventId?: string,
  ) {}
  start() {
    this.state = "open";
    this.hooks.onState();
  }
  stop() {
    this.stopped = true;
    this.state = "closed";
    return Promise.resolve();
  }
  updateSubscriber(request: { subscribeChannels?: string[]; unsubscribeChannels?: string[] }) {
    this.updates.push(request);
    this.channels = [
      ...this.channels.filter((c) => !request.unsubscribeChannels?.includes(c)),
      ...(request.subscribeChannels ?? []),
    ];
    return Promise.resolve();
  }
}

/** Lets the BroadcastChannel's and the locks' queued deliveries run. */
export const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Tabs of one browser: `open(tabId, channels)` opens one; `clients` are the leaders' clients. */
export function setupTabs() {
  const hub = new FakeHub();
  const locks = new FakeLocks();
  const clients: FakeClient[] = [];
  const open = (tabId: string, channels: string[]) =>
    new SharedEventStream({
      name: "test",
      tabId,
      channels,
      broadcastChannel: hub.open(),
      locks,
      createClient: (wanted, hooks, lastEventId) => {
        const client = new FakeClient(wanted, hooks, lastEventId);
        clients.push(client);
        return client;
      },
    });
  return { open, clients, hub };
}

/** A `cmd.chat` message, to a channel or (null) to no channel, with the frame's `id:`. */
export const chat = (channel: string | null, text: string, eventId = 1): ServerEventMessage =>
  parseServerEventData(
    `${channel === null ? "" : `${channel}@`}cmd.chat ${JSON.stringify(text)}`,
    eventId,
  );
