import { describe, expect, it } from "vitest";
import {
  parseServerEventData,
  type ConnectionState,
  type ServerEventMessage,
} from "@/lib/server-events-client";
import type { LockManagerLike } from "./leader-election";
import {
  SharedEventStream,
  type BroadcastChannelLike,
  type StreamClient,
  type StreamClientHooks,
} from "./shared-event-stream";

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

class FakeClient implements StreamClient {
  state: ConnectionState = "connecting";
  connectionInfo = null;
  stopped = false;
  readonly updates: { subscribeChannels?: string[]; unsubscribeChannels?: string[] }[] = [];
  constructor(
    public channels: string[],
    readonly hooks: StreamClientHooks,
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

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function setup() {
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
      createClient: (wanted, hooks) => {
        const client = new FakeClient(wanted, hooks);
        clients.push(client);
        return client;
      },
    });
  return { open, clients, hub };
}

const chat = (channel: string | null, text: string): ServerEventMessage =>
  parseServerEventData(
    `${channel === null ? "" : `${channel}@`}cmd.chat ${JSON.stringify(text)}`,
    1,
  );

describe("SharedEventStream", () => {
  it("elects one leader and opens one client for all tabs", async () => {
    const { open, clients } = setup();
    const a = open("a", ["home"]);
    const b = open("b", ["home"]);
    const c = open("c", ["lobby"]);
    await settle();
    expect([a.isLeader, b.isLeader, c.isLeader]).toEqual([true, false, false]);
    expect(clients).toHaveLength(1);
    expect(clients[0]!.channels.sort()).toEqual(["home", "lobby"]);
    expect(b.state).toBe("open");
  });

  it("relays messages to the tabs on their channels and direct messages to all", async () => {
    const { open, clients } = setup();
    const a = open("a", ["home"]);
    const b = open("b", ["lobby"]);
    const seen: Record<string, unknown[]> = { a: [], b: [] };
    a.onMessage((m) => seen.a!.push(m.body));
    b.onMessage((m) => seen.b!.push(m.body));
    await settle();
    clients[0]!.hooks.onMessage(chat("home", "to home"));
    clients[0]!.hooks.onMessage(chat("lobby", "to lobby"));
    clients[0]!.hooks.onMessage(chat(null, "to me"));
    await settle();
    expect(seen).toEqual({ a: ["to home", "to me"], b: ["to lobby", "to me"] });
  });

  it("hands over to the next tab when the leader closes, with every tab's channels", async () => {
    const { open, clients } = setup();
    const a = open("a", ["home"]);
    const b = open("b", ["home"]);
    const c = open("c", ["lobby"]);
    await settle();
    await a.close();
    await settle();
    expect(clients[0]!.stopped).toBe(true);
    expect([b.isLeader, c.isLeader]).toEqual([true, false]);
    expect(clients).toHaveLength(2);
    expect(clients[1]!.channels.sort()).toEqual(["home", "lobby"]);
    await b.close();
    await settle();
    expect(c.isLeader).toBe(true);
    expect(clients[2]!.channels).toEqual(["lobby"]);
  });

  it("subscribes and unsubscribes the shared subscription as tabs change channels", async () => {
    const { open, clients } = setup();
    open("a", ["home"]);
    const b = open("b", ["home"]);
    await settle();
    b.setChannels(["home", "news"]);
    await settle();
    expect(clients[0]!.channels.sort()).toEqual(["home", "news"]);
    await b.close();
    await settle();
    expect(clients[0]!.channels).toEqual(["home"]);
    expect(clients[0]!.updates).toEqual([
      { subscribeChannels: ["news"], unsubscribeChannels: [] },
      { subscribeChannels: [], unsubscribeChannels: ["news"] },
    ]);
  });

  it("ignores what another tab says in a dialect it does not understand", async () => {
    const { open, clients, hub } = setup();
    open("a", ["home"]);
    const b = open("b", ["home"]);
    const seen: unknown[] = [];
    b.onMessage((m) => seen.push(m.body));
    await settle();
    const infoBefore = b.info;
    const stranger = hub.open();
    stranger.postMessage(null);
    stranger.postMessage({ type: "message", message: { channel: "home", body: "no selector" } });
    stranger.postMessage({ type: "state", state: "open", info: { id: "x", displayName: 5 } });
    stranger.postMessage({ type: "channels", tabId: "z", channels: "home" });
    await settle();
    expect(seen).toEqual([]);
    expect(b.info).toBe(infoBefore);
    clients[0]!.hooks.onMessage(chat("home", "still works"));
    await settle();
    expect(seen).toEqual(["still works"]);
  });

  it("hands the stream over while a tab sleeps in the back/forward cache, and rejoins on restore", async () => {
    const { open, clients } = setup();
    const a = open("a", ["home"]);
    const b = open("b", ["lobby"]);
    const seenByA: unknown[] = [];
    a.onMessage((m) => seenByA.push(m.body));
    await settle();
    a.suspend();
    await settle();
    expect(clients[0]!.stopped).toBe(true);
    expect([a.isLeader, b.isLeader]).toEqual([false, true]);
    expect(clients[1]!.channels).toEqual(["lobby"]);
    a.resume();
    await settle();
    expect(clients[1]!.channels.sort()).toEqual(["home", "lobby"]);
    expect(a.state).toBe("open");
    clients[1]!.hooks.onMessage(chat("home", "after the restore"));
    await settle();
    expect(seenByA).toEqual(["after the restore"]);
  });

  it("opens a new client for a lone tab restored from the back/forward cache", async () => {
    const { open, clients } = setup();
    const a = open("a", ["home"]);
    const seen: unknown[] = [];
    a.onMessage((m) => seen.push(m.body));
    await settle();
    a.suspend();
    await settle();
    expect(clients[0]!.stopped).toBe(true);
    a.resume();
    await settle();
    expect(clients).toHaveLength(2);
    expect([a.isLeader, a.state]).toEqual([true, "open"]);
    clients[1]!.hooks.onMessage(chat(null, "to me"));
    expect(seen).toEqual(["to me"]);
  });

  it("leads alone without BroadcastChannel", () => {
    const clients: FakeClient[] = [];
    const stream = new SharedEventStream({
      name: "solo",
      channels: ["home"],
      broadcastChannel: null,
      createClient: (wanted, hooks) => {
        const client = new FakeClient(wanted, hooks);
        clients.push(client);
        return client;
      },
    });
    expect(stream.isLeader).toBe(true);
    expect(clients).toHaveLength(1);
  });
});
