import type {
  ClientKind,
  TestClient,
  TestClientOptions,
  TestCommand,
  TestConnectInfo,
  TestMessage,
  TestResolver,
} from "./clients";
import { waitForCount } from "./wait";

/** A client plus everything its callbacks received, in order. */
export interface RecordedClient {
  client: TestClient;
  channels: string[];
  connects: TestConnectInfo[];
  joins: TestCommand[];
  leaves: TestCommand[];
  updates: TestCommand[];
  /** onCommand: joins, leaves and updates, in arrival order. */
  commands: TestCommand[];
  /** onMessage: every message that is not a built-in command. */
  messages: TestMessage[];
  heartbeats: Record<string, string>[];
  errors: unknown[];
  /** The current connection's info (throws when not connected). */
  info(): TestConnectInfo;
  /** Waits for the n-th onConnect (1 = the first). */
  connected(count?: number): Promise<TestConnectInfo>;
}

export interface OpenOptions {
  baseUrl: string;
  channels?: string[];
  /** Set in onConnect, before the heartbeat timer starts, as the official tests do. */
  heartbeatIntervalMs?: number;
  /** Extra handlers, called after recording (custom `cmd.X` handlers too). */
  handlers?: TestClientOptions["handlers"];
  receivers?: Record<string, object>;
  resolver?: TestResolver;
  /** @default true */
  start?: boolean;
}

/** Creates clients that record their callbacks, and stops them all at the end of each test. */
export class ClientPool {
  private readonly open: TestClient[] = [];

  constructor(readonly kind: ClientKind) {}

  create(options: OpenOptions): RecordedClient {
    const extra = options.handlers ?? {};
    const channels = options.channels ?? ["*"];
    const recorded: Omit<RecordedClient, "client" | "info" | "connected"> = {
      channels,
      connects: [],
      joins: [],
      leaves: [],
      updates: [],
      commands: [],
      messages: [],
      heartbeats: [],
      errors: [],
    };
    const handlers: NonNullable<TestClientOptions["handlers"]> = {
      ...extra,
      onConnect: (info, e) => {
        if (options.heartbeatIntervalMs !== undefined)
          info.heartbeatIntervalMs = options.heartbeatIntervalMs;
        recorded.connects.push(info);
        extra.onConnect?.(info, e);
      },
      onJoin: (e) => {
        recorded.joins.push(e);
        extra.onJoin?.(e);
      },
      onLeave: (e) => {
        recorded.leaves.push(e);
        extra.onLeave?.(e);
      },
      onUpdate: (e) => {
        recorded.updates.push(e);
        extra.onUpdate?.(e);
      },
      onCommand: (e) => {
        recorded.commands.push(e);
        extra.onCommand?.(e);
      },
      onHeartbeat: (meta, e) => {
        recorded.heartbeats.push(meta);
        extra.onHeartbeat?.(meta, e);
      },
      onMessage: (e) => {
        recorded.messages.push(e);
        extra.onMessage?.(e);
      },
    };
    const client = this.kind.create(options.baseUrl, channels, {
      handlers,
      ...(options.receivers ? { receivers: options.receivers } : {}),
      ...(options.resolver ? { resolver: options.resolver } : {}),
      onException: (error) => recorded.errors.push(error),
    });
    this.open.push(client);
    if (options.start !== false) client.start();
    return {
      ...recorded,
      client,
      info: () => client.getConnectionInfo(),
      connected: async (count = 1) => {
        await waitForCount(
          () => recorded.connects.length,
          count,
          `onConnect on ${channels.join(",")}`,
        );
        return recorded.connects[count - 1]!;
      },
    };
  }

  /** Stops every client created since the last call (each stop POSTs its unregister URL). */
  async stopAll(): Promise<void> {
    const clients = this.open.splice(0);
    await Promise.all(clients.map((client) => client.stop()));
  }
}

/** The messages of `recorded` whose selector is `selector` (e.g. `cmd.chat`). */
export function messagesOf(recorded: RecordedClient, selector: string): TestMessage[] {
  return recorded.messages.filter((m) => m.selector === selector);
}

/** The errors `recorded` got, as readable strings (for assertions that print well). */
export function errorTexts(recorded: RecordedClient): string[] {
  return recorded.errors.map((error) => {
    if (error instanceof Error)
      return `${error.name}: ${error.message}${error.cause instanceof Error ? ` (cause: ${error.cause.message})` : ""}`;
    try {
      return JSON.stringify(error);
    } catch {
      return Object.prototype.toString.call(error);
    }
  });
}
