import type { ConnectionState, ServerEventMessage } from "@/lib/server-events-client";
import { ChannelReconciler } from "./channel-reconciler";
import { browserLocks, electLeader, type Election, type LockManagerLike } from "./leader-election";
import type { StreamClient, StreamClientHooks } from "./stream-client";
import { parseWire, toStreamInfo, type StreamInfo, type Wire } from "./wire";

export type { StreamClient, StreamClientHooks } from "./stream-client";
export type { StreamInfo } from "./wire";

export interface BroadcastChannelLike {
  postMessage(message: unknown): void;
  addEventListener(type: "message", listener: (event: MessageEvent) => void): void;
  close(): void;
}

export interface SharedEventStreamOptions {
  /** Tabs with the same name share one stream: include who is signed in. */
  name: string;
  /** This tab's channels. */
  channels: string[];
  /** `lastEventId`: the last message any tab saw, for a leader taking over to resume from. */
  createClient: (
    channels: string[],
    hooks: StreamClientHooks,
    lastEventId: string | undefined,
  ) => StreamClient;
  /** @default new BroadcastChannel(name), or none when unsupported (the tab then leads alone) */
  broadcastChannel?: BroadcastChannelLike | null;
  /** @default navigator.locks */
  locks?: LockManagerLike | null;
  /** @default crypto.randomUUID() */
  tabId?: string;
}

type Listener<T> = (value: T) => void;

/**
 * One Server Events subscription per browser, shared by its tabs (Chromium allows 6 HTTP/1.1
 * connections per host, so one stream per tab starves the seventh tab).
 *
 * The elected leader tab holds the `ServerEventsClient`, subscribed to the union of every tab's
 * channels, and relays each message over a BroadcastChannel; each tab keeps only the messages of
 * its own channels (and those sent to no channel: to the user, session or subscription). Every tab
 * remembers every tab's channels, so whichever takes over when the leader closes starts at once.
 * A tab in the back/forward cache is {@link suspend}ed: it leaves as a closing tab does, and
 * joins again when {@link resume}d, with the same listeners.
 */
export class SharedEventStream {
  readonly tabId: string;
  #channels: string[];
  #state: ConnectionState = "connecting";
  #info: StreamInfo | null = null;
  readonly #tabs = new Map<string, string[]>();
  readonly #messageListeners = new Set<Listener<ServerEventMessage>>();
  readonly #stateListeners = new Set<Listener<SharedEventStream>>();
  readonly #bus: BroadcastChannelLike | null;
  readonly #locks: LockManagerLike | null | undefined;
  readonly #electionName: string;
  #election: Election | undefined;
  readonly #createClient: SharedEventStreamOptions["createClient"];
  #client: StreamClient | null = null;
  #lastEventId: number | undefined;
  readonly #channelSync = new ChannelReconciler(
    () => this.#client,
    () => this.wantedChannels,
  );
  #closed = false;
  #suspended = false;

  constructor(options: SharedEventStreamOptions) {
    this.tabId = options.tabId ?? crypto.randomUUID();
    this.#channels = [...options.channels];
    this.#createClient = options.createClient;
    this.#bus =
      options.broadcastChannel !== undefined
        ? options.broadcastChannel
        : typeof BroadcastChannel === "function"
          ? new BroadcastChannel(options.name)
          : null;
    this.#bus?.addEventListener("message", (event) => {
      const wire = parseWire(event.data);
      if (wire) this.#receive(wire);
    });
    const locks = options.locks !== undefined ? options.locks : browserLocks();
    this.#locks = this.#bus ? locks : null;
    this.#electionName = `${options.name}:leader`;
    this.#join();
  }

  get isLeader(): boolean {
    return this.#client !== null;
  }
  get state(): ConnectionState {
    return this.#state;
  }
  get info(): StreamInfo | null {
    return this.#info;
  }
  get channels(): readonly string[] {
    return this.#channels;
  }

  /** Channels of every tab: what the shared subscription should be subscribed to. */
  get wantedChannels(): string[] {
    return [...new Set([...this.#channels, ...[...this.#tabs.values()].flat()])];
  }

  onMessage(listener: Listener<ServerEventMessage>): () => void {
    this.#messageListeners.add(listener);
    return () => this.#messageListeners.delete(listener);
  }

  /** Called on every change of `state` or `info`. */
  onStateChange(listener: Listener<SharedEventStream>): () => void {
    this.#stateListeners.add(listener);
    return () => this.#stateListeners.delete(listener);
  }

  /** Changes this tab's channels; the leader subscribes the shared subscription to them. */
  setChannels(channels: string[]): void {
    this.#channels = [...new Set(channels)];
    this.#post({ type: "channels", tabId: this.tabId, channels: this.#channels });
    this.#reconcile();
  }

  /**
   * Leaves: other tabs forget this tab's channels; a leader stops its client and hands over.
   * `{ unregister: false }` when the page is being unloaded: the stream's closing ends the
   * subscription on this package's server, and a late unregister would only earn a 404.
   */
  async close(options: { unregister?: boolean } = {}): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#leave(options);
    this.#bus?.close();
  }

  /**
   * The page went into the back/forward cache: leave as {@link close} does (the other tabs take
   * over the stream, and a leader stops its client without unregistering, as an unloading page
   * does), but keep the listeners, for {@link resume}.
   */
  suspend(): void {
    if (this.#closed || this.#suspended) return;
    void this.#leave({ unregister: false });
    this.#suspended = true;
    // Tabs that close while this one sleeps say bye to no one: learn them afresh on resume.
    this.#tabs.clear();
  }

  /** The page came back from the back/forward cache: join the tabs again, as a new tab does. */
  resume(): void {
    if (this.#closed || !this.#suspended) return;
    this.#suspended = false;
    this.#setState("connecting", null);
    this.#join();
  }

  #join(): void {
    this.#post({ type: "channels", tabId: this.tabId, channels: this.#channels, hello: true });
    this.#election = electLeader(this.#locks, this.#electionName, () => this.#lead());
  }

  async #leave(options: { unregister?: boolean }): Promise<void> {
    if (this.#suspended) return; // left already
    this.#post({ type: "bye", tabId: this.tabId });
    const client = this.#client;
    this.#client = null;
    this.#election?.resign();
    await client?.stop(options);
  }

  #lead(): void {
    if (this.#closed || this.#suspended) return;
    const hooks: StreamClientHooks = {
      onMessage: (message) => {
        this.#post({ type: "message", message });
        this.#deliver(message);
      },
      onState: () => this.#publishState(),
    };
    // What was published between the last leader's end and this one's start (private messages,
    // which no history holds) is replayed, rather than lost for every tab.
    this.#client = this.#createClient(this.wantedChannels, hooks, this.#lastEventId?.toString());
    this.#client.start();
    this.#publishState();
  }

  #publishState(): void {
    const client = this.#client;
    if (!client) return;
    const info = client.connectionInfo ? toStreamInfo(client.connectionInfo) : null;
    this.#post({ type: "state", state: client.state, info });
    this.#setState(client.state, info);
    if (client.state === "open") this.#reconcile();
  }

  #reconcile(): void {
    this.#channelSync.reconcile();
  }

  #receive(wire: Wire): void {
    if (this.#closed || this.#suspended) return;
    switch (wire.type) {
      case "channels":
        this.#tabs.set(wire.tabId, wire.channels);
        if (wire.hello) {
          // Tell the newcomer our channels (it may lead one day) and, as leader, the state.
          this.#post({ type: "channels", tabId: this.tabId, channels: this.#channels });
          this.#publishState();
        }
        this.#reconcile();
        break;
      case "bye":
        this.#tabs.delete(wire.tabId);
        this.#reconcile();
        break;
      case "state":
        if (!this.#client) this.#setState(wire.state, wire.info);
        break;
      case "message":
        if (!this.#client) this.#deliver(wire.message);
        break;
    }
  }

  #deliver(message: ServerEventMessage): void {
    // Every channel's: the subscription a new leader opens is on every tab's channels.
    const { eventId } = message;
    if (Number.isSafeInteger(eventId) && eventId > 0) this.#lastEventId = eventId;
    if (message.channel !== null && !this.#channels.includes(message.channel)) return;
    for (const listener of [...this.#messageListeners]) listener(message);
  }

  #setState(state: ConnectionState, info: StreamInfo | null): void {
    if (state === this.#state && sameInfo(info, this.#info)) return;
    this.#state = state;
    // Keep the last known info while reconnecting, so the UI still shows who we are.
    this.#info = info ?? this.#info;
    for (const listener of [...this.#stateListeners]) listener(this);
  }

  #post(wire: Wire): void {
    const away = this.#closed || this.#suspended;
    if (!away || wire.type === "bye") this.#bus?.postMessage(wire);
  }
}

function sameInfo(a: StreamInfo | null, b: StreamInfo | null): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
