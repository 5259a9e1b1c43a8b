import {
  ServerEventsClient as OfficialServerEventsClient,
  SingletonInstanceResolver as OfficialSingletonInstanceResolver,
} from "@servicestack/client";
import { EventSource } from "eventsource";
import {
  ServerEventsClient as OwnServerEventsClient,
  SingletonInstanceResolver as OwnSingletonInstanceResolver,
  type ServerEventsClientOptions,
} from "@/lib/server-events-client";

// The official client reads the *global* EventSource (also `EventSource.CLOSED` on each heartbeat
// tick), and Node 20 has none: see docs/protocol.md, "Client compatibility".
globalThis.EventSource = EventSource;

/** The parts of a parsed message the scenarios read; both clients produce this shape. */
export interface TestMessage {
  type: string;
  eventId: number;
  channel: string | null;
  data: string;
  selector: string;
  json: string;
  body: unknown;
  op: string;
  target: string;
  cssSelector: string | undefined;
}

/** `cmd.onJoin` / `onLeave` / `onUpdate`: the message merged with the subscriber's Meta. */
export interface TestCommand extends TestMessage {
  userId: string;
  displayName: string;
  channels: string;
}

/** `cmd.onConnect`, merged; the two durations are numbers and may be changed in the handler. */
export interface TestConnectInfo extends TestCommand {
  id: string;
  heartbeatUrl: string;
  unRegisterUrl: string;
  updateSubscriberUrl: string;
  heartbeatIntervalMs: number;
  idleTimeoutMs: number;
}

export interface TestSubscriber {
  userId: string;
  displayName: string;
  channels: string[] | null;
}

export interface TestResolver {
  tryResolve(ctor: new () => object): object;
}

type Handler = (...args: never[]) => void;

export interface TestClientOptions {
  handlers?: {
    onConnect?: (info: TestConnectInfo, e: TestMessage) => void;
    onJoin?: (e: TestCommand) => void;
    onLeave?: (e: TestCommand) => void;
    onUpdate?: (e: TestCommand) => void;
    onCommand?: (e: TestCommand) => void;
    onHeartbeat?: (meta: Record<string, string>, e: TestMessage) => void;
    onMessage?: (e: TestMessage) => void;
    [name: string]: Handler | undefined;
  };
  receivers?: Record<string, object>;
  onException?: (error: unknown) => void;
  onReconnect?: (error: unknown) => void;
  resolver?: TestResolver;
}

/** The API both clients share (the official one's names and shapes). */
export interface TestClient {
  channels: string[];
  eventStreamUri: string;
  start(): unknown;
  stop(): Promise<void>;
  hasConnected(): boolean;
  getConnectionInfo(): TestConnectInfo;
  getSubscriptionId(): string;
  registerReceiver(receiver: object): unknown;
  registerNamedReceiver(name: string, receiver: object): unknown;
  setResolver(resolver: TestResolver): unknown;
  addListener(eventName: string, listener: (e: TestMessage) => void): unknown;
  removeListener(eventName: string, listener: (e: TestMessage) => void): unknown;
  subscribeToChannels(...channels: string[]): Promise<void>;
  unsubscribeFromChannels(...channels: string[]): Promise<void>;
  getChannelSubscribers(): Promise<TestSubscriber[]>;
}

export interface ClientKind {
  name: string;
  create(baseUrl: string, channels: string[], options?: TestClientOptions): TestClient;
  singletonResolver(): TestResolver;
  /**
   * How often the global receiver (`receivers.cmd`) runs for one `cmd.X` without a handler.
   * The official client runs it twice (once as the global receiver, once more as the named
   * receiver `cmd`: a client quirk); ours runs it once, by design
   * (lib/server-events-client/dispatch.ts).
   */
  globalReceiverCallsPerMessage: number;
}

export const officialClient: ClientKind = {
  name: "@servicestack/client 2.1.13",
  create: (baseUrl, channels, options = {}) =>
    new OfficialServerEventsClient(baseUrl, channels, options),
  singletonResolver: () => new OfficialSingletonInstanceResolver(),
  globalReceiverCallsPerMessage: 2,
};

export const ownClient: ClientKind = {
  name: "lib/server-events-client",
  create: (baseUrl, channels, options = {}) =>
    new OwnServerEventsClient(baseUrl, channels, options as ServerEventsClientOptions),
  singletonResolver: () => new OwnSingletonInstanceResolver(),
  globalReceiverCallsPerMessage: 1,
};

/** Every client the compatibility scenarios run against. */
export const clientKinds: ClientKind[] = [officialClient, ownClient];
