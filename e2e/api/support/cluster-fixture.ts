/**
 * The shared setup of the cluster tests (e2e/api/cluster-*.test.ts): two `next start` instances,
 * A and B, on one cluster provider's isolated slice, with short idle, housekeeping and heartbeat
 * intervals. `clusterFixture` registers the hooks of one `describe.each(await clusterSuites(…))`
 * body and returns what its tests use; at the end it checks that no instance logged a problem.
 */
import { afterAll, afterEach, beforeAll, beforeEach, expect } from "vitest";
import { officialClient, type TestClient, type TestCommand } from "./clients";
import { reachableProviders, type ClusterBackend, type ClusterProvider } from "./cluster-providers";
import { randomToken, startNextServer, type NextServer } from "./next-server";
import { ClientPool, messagesOf, type RecordedClient } from "./recorder";
import { DemoServices, type ChatMessage } from "./services";
import { openSse, type SseStream } from "./sse";
import { waitFor } from "./wait";

export const IDLE_TIMEOUT_MS = 3_000;
export const HOUSEKEEPING_INTERVAL_MS = 500;
export const HEARTBEAT_INTERVAL_MS = 1_000;

/** What a test needs to wait on: generous, the machine may be loaded. */
export const WAIT = { timeoutMs: 20_000 };

export const clusterSuiteName = "cluster: two next start instances on one %s";

/**
 * `[name, provider]` for each reachable provider: describe.each puts the name in the title with
 * `%s`, unquoted. `testFile` names the calling file in the skip warning or the CI failure.
 */
export async function clusterSuites(testFile: string): Promise<[string, ClusterProvider][]> {
  return (await reachableProviders(testFile)).map((provider) => [provider.name, provider]);
}

export const uniqueChannel = (prefix: string) => `${prefix}-${randomToken(8)}`;
export const chatsOf = (client: RecordedClient) =>
  messagesOf(client, "cmd.chat").map((m) => m.body as ChatMessage);
export const chatTexts = (client: RecordedClient) => chatsOf(client).map((m) => m.message);
export const byUser = (userId: string) => (e: TestCommand) => e.userId === userId;

/**
 * The official client's options object. It posts heartbeats to `options.heartbeatUrl`, copied
 * from the onConnect body *before* the onConnect handler runs: changing `info.heartbeatUrl` in the
 * handler has no effect on where heartbeats go, changing this does. (Its `stop()`, though, posts to
 * `info.unRegisterUrl`, the object the handler gets.)
 */
export function officialOptions(client: TestClient): { heartbeatUrl?: string } {
  return (client as unknown as { options: { heartbeatUrl?: string } }).options;
}

export type OpenClusterClientOptions = Omit<
  Parameters<ClientPool["create"]>[0],
  "baseUrl" | "channels"
>;

export interface RawConnection {
  stream: SseStream;
  connect: Record<string, string>;
}

/** Function-typed properties, not methods: tests destructure them. */
export interface ClusterFixture {
  A: () => NextServer;
  /** B is killed by some tests: each test starts with a live one, maybe a fresh process. */
  B: () => NextServer;
  backend: () => ClusterBackend;
  /** Every HTTP request this process made (the official client's heartbeats and unregisters). */
  requests: readonly { method: string; url: string }[];
  services: (server: NextServer) => DemoServices;
  /** An official client on `server`, stopped after the test. */
  open: (
    server: NextServer,
    channels: string[],
    options?: OpenClusterClientOptions,
  ) => RecordedClient;
  listing: (server: NextServer, channel: string) => Promise<Record<string, string>[]>;
  listedUserIds: (server: NextServer, channel: string) => Promise<(string | undefined)[]>;
  /** Until both instances' /event-subscribers list exactly `userIds` on `channel`. */
  waitForListing: (channel: string, userIds: string[]) => Promise<void>;
  /** A raw event stream on `server`, read up to its onConnect, closed after the test. */
  connectRaw: (
    server: NextServer,
    query: string,
    headers?: Record<string, string>,
  ) => Promise<RawConnection>;
}

export function clusterFixture(provider: ClusterProvider): ClusterFixture {
  const adminToken = randomToken(32);
  const pool = new ClientPool(officialClient);
  let backend: ClusterBackend | undefined;
  let a: NextServer | undefined;
  let b: NextServer | undefined;
  let generation = 0;
  const requests: { method: string; url: string }[] = [];
  const originalFetch = globalThis.fetch;
  const rawStreams: SseStream[] = [];

  /** Every instance started, dead ones included, for the log check at the end. */
  const started: { name: string; server: NextServer }[] = [];

  async function startInstance(name: string): Promise<NextServer> {
    generation++;
    const server = await startNextServer({
      startupTimeoutMs: 90_000,
      env: {
        ...backend!.env,
        INSTANCE_ID: `it-${name}-${generation}-${randomToken(6)}`,
        SSE_ADMIN_TOKEN: adminToken,
        SSE_IDLE_TIMEOUT_MS: String(IDLE_TIMEOUT_MS),
        SSE_HOUSEKEEPING_INTERVAL_MS: String(HOUSEKEEPING_INTERVAL_MS),
        SSE_HEARTBEAT_INTERVAL_MS: String(HEARTBEAT_INTERVAL_MS),
      },
    });
    started.push({ name: `${name}#${generation}`, server });
    return server;
  }

  const A = () => a!;
  const B = () => b!;
  const services = (server: NextServer) => new DemoServices(server.baseUrl, adminToken);

  /** B is killed by some tests: the next one gets a fresh process (and instance id). */
  async function ensureB(): Promise<NextServer> {
    if (!b || b.hasExited()) b = await startInstance("B");
    return b;
  }

  function open(
    server: NextServer,
    channels: string[],
    options: OpenClusterClientOptions = {},
  ): RecordedClient {
    return pool.create({ baseUrl: server.baseUrl, channels, ...options });
  }

  async function listing(server: NextServer, channel: string): Promise<Record<string, string>[]> {
    const response = await fetch(
      `${server.baseUrl}/event-subscribers?channels=${encodeURIComponent(channel)}`,
    );
    expect(response.status).toBe(200);
    return (await response.json()) as Record<string, string>[];
  }

  const listedUserIds = async (server: NextServer, channel: string) =>
    (await listing(server, channel)).map((meta) => meta.userId).sort();

  async function waitForListing(channel: string, userIds: string[]): Promise<void> {
    const expected = [...userIds].sort();
    for (const server of [A(), B()])
      await waitFor(
        async () =>
          JSON.stringify(await listedUserIds(server, channel)) === JSON.stringify(expected),
        {
          ...WAIT,
          message: () =>
            `/event-subscribers?channels=${channel} on ${server.baseUrl} = ${expected.join(",")}`,
        },
      );
  }

  async function connectRaw(
    server: NextServer,
    query: string,
    headers: Record<string, string> = {},
  ): Promise<RawConnection> {
    const stream = await openSse(`${server.baseUrl}/event-stream${query}`, headers);
    rawStreams.push(stream);
    expect(stream.response.status).toBe(200);
    const first = await stream.next(WAIT.timeoutMs);
    expect(first.selector).toBe("cmd.onConnect");
    return { stream, connect: JSON.parse(first.json) as Record<string, string> };
  }

  beforeAll(async () => {
    backend = await provider.setup();
    globalThis.fetch = (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      const method = init?.method ?? (input instanceof Request ? input.method : "GET");
      requests.push({ method, url });
      return originalFetch(input, init);
    };
    // Both at once: the start-up migration must be safe when instances start together.
    [a, b] = await Promise.all([startInstance("A"), startInstance("B")]);
  });

  beforeEach(async (context) => {
    await ensureB();
    context.onTestFailed(() => {
      for (const [name, server] of [
        ["A", a],
        ["B", b],
      ] as const)
        console.error(`--- instance ${name} output (tail) ---\n${server?.output().slice(-3000)}`);
    });
  });

  afterEach(async () => {
    for (const stream of rawStreams.splice(0)) stream.close();
    await pool.stopAll();
  });

  afterAll(async () => {
    globalThis.fetch = originalFetch;
    await Promise.all([a?.stop(), b?.stop()]);
    await backend?.teardown();
    // No instance reported a background error (the provider's default onError writes
    // "[server-events] …"), a 5xx ("request failed"), an "unexpected error" or an unhandled one.
    const problems = started.flatMap(({ name, server }) =>
      server
        .output()
        .split("\n")
        .filter((line) =>
          /\[server-events\]|"level":(?:50|60)|unexpected error|unhandled/iu.test(line),
        )
        .map((line) => `${name}: ${line.slice(0, 500)}`),
    );
    expect(problems).toEqual([]);
  });

  return {
    A,
    B,
    backend: () => backend!,
    requests,
    services,
    open,
    listing,
    listedUserIds,
    waitForListing,
    connectRaw,
  };
}
