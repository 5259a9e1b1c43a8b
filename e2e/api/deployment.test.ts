/**
 * Deployment behaviours (docs/deploy.md) on Postgres: health and readiness while the database (or
 * Redis) is down at start-up, streams that end on schedule (SSE_MAX_STREAM_DURATION_MS) across two
 * instances behind nginx, a SIGTERM'd instance whose clients move to the other one, and frames
 * that cross nginx unbuffered. nginx runs with compose.yaml's own configuration.
 *
 * Needs Postgres at PG_ADMIN_URL and Debian's nginx, and Redis at REDIS_TEST_URL for its readiness
 * case (.ci/run provides all three; with CI set a missing one fails the file, otherwise what needs
 * it is skipped with a warning).
 */
import { createServer, connect, type Server, type Socket } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { officialClient, ownClient, type ClientKind } from "./support/clients";
import { reachableProviders, redisProvider, redisTestUrl } from "./support/cluster-providers";
import { createThrowawayDatabase, type ThrowawayDatabase } from "./support/database";
import { nginxBinary, startNginx, type RunningNginx } from "./support/nginx";
import { findFreePort, randomToken, startNextServer, type NextServer } from "./support/next-server";
import { ClientPool, messagesOf, type RecordedClient } from "./support/recorder";
import type { ChatMessage } from "./support/services";
import { openSse, type SseStream } from "./support/sse";
import { waitFor } from "./support/wait";

if (!nginxBinary && process.env.CI) throw new Error("deployment.test.ts needs nginx in CI");
if (!nginxBinary) console.warn("[deployment.test] nginx is not installed: its tests are SKIPPED");
const withNginx = nginxBinary ? describe : describe.skip;

const WAIT = { timeoutMs: 30_000 };
let database: ThrowawayDatabase;
const servers: NextServer[] = [];
const proxies: RunningNginx[] = [];
const streams: SseStream[] = [];
const pools = [new ClientPool(officialClient), new ClientPool(ownClient)];

beforeAll(async () => {
  database = await createThrowawayDatabase("server_events_deploy");
});

afterEach(async () => {
  for (const stream of streams.splice(0)) stream.close();
  await Promise.all(pools.map((pool) => pool.stopAll()));
  await Promise.all(proxies.splice(0).map((proxy) => proxy.stop()));
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});

afterAll(async () => {
  await database?.drop();
});

async function startInstance(
  name: string,
  env: Record<string, string> = {},
  waitUntil: "ready" | "live" = "ready",
): Promise<NextServer> {
  const server = await startNextServer({
    startupTimeoutMs: 90_000,
    waitUntil,
    env: {
      DATABASE_URL: database.url,
      INSTANCE_ID: `deploy-${name}-${randomToken(6)}`,
      SSE_HOUSEKEEPING_INTERVAL_MS: "500",
      ...env,
    },
  });
  servers.push(server);
  return server;
}

/**
 * A subscription to publish from (chat needs a live `from`), re-opened whenever its stream has
 * ended: streams on these instances are cut every few seconds.
 */
class Publisher {
  private stream: SseStream | undefined;
  private id: string | undefined;

  constructor(private readonly server: NextServer) {}

  async publish(channel: string, text: string): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const id = await this.currentId();
      const response = await fetch(`${this.server.baseUrl}/api/PostChatToChannel`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ from: id, channel, message: text }),
      });
      await response.body?.cancel();
      if (response.ok) return;
      // Its stream ended between our read and the publish: nothing was published, open another.
      if (response.status !== 404) throw new Error(`publish ${text}: ${response.status}`);
      this.id = undefined;
    }
    throw new Error(`publish ${text}: the publisher kept losing its subscription`);
  }

  private async currentId(): Promise<string> {
    if (this.id && this.stream && !this.streamEnded) return this.id;
    this.stream?.close();
    const stream = await openSse(`${this.server.baseUrl}/event-stream?channels=publishers`);
    streams.push(stream);
    this.stream = stream;
    this.streamEnded = false;
    void stream.ended.then(() => {
      if (this.stream === stream) this.streamEnded = true;
    });
    const connect = await stream.next(WAIT.timeoutMs);
    this.id = (JSON.parse(connect.json) as { id: string }).id;
    return this.id;
  }

  private streamEnded = false;
}

const chatTexts = (client: RecordedClient) =>
  messagesOf(client, "cmd.chat").map((m) => (m.body as ChatMessage).message);

/** A TCP door to a local service that can be opened later: the database "comes back". */
function serviceDoor(
  port: number,
  service: { host: string; port: number },
): { open(): Promise<void>; close(): Promise<void> } {
  let server: Server | undefined;
  const sockets = new Set<Socket>();
  return {
    open: () =>
      new Promise((resolve) => {
        server = createServer((client) => {
          const upstream = connect(service.port, service.host);
          for (const socket of [client, upstream]) {
            sockets.add(socket);
            socket.on("error", () => undefined);
            socket.on("close", () => sockets.delete(socket));
          }
          client.pipe(upstream).pipe(client);
          client.on("close", () => upstream.destroy());
          upstream.on("close", () => client.destroy());
        });
        server.listen(port, "127.0.0.1", resolve);
      }),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    },
  };
}

/** Where a service URL points, for a door in front of it. */
const serviceAt = (url: string, defaultPort: number) => {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port || defaultPort) };
};

/** `url` with its host swapped for the door's, credentials and database kept. */
function throughDoor(url: string, port: number): string {
  const swapped = new URL(url);
  swapped.host = `127.0.0.1:${port}`;
  return swapped.toString();
}

/** How each provider reaches its service through a door on `port`, and what to clean up after. */
const doors = [
  {
    name: "Postgres",
    service: () => serviceAt(database.url, 5432),
    setup: (port: number) =>
      Promise.resolve({
        env: { DATABASE_URL: throughDoor(database.url, port) },
        teardown: async () => {},
      }),
  },
  ...(await reachableProviders("e2e/api/deployment.test.ts"))
    .filter((provider) => provider === redisProvider)
    .map(() => ({
      name: "Redis",
      service: () => serviceAt(redisTestUrl, 6379),
      setup: async (port: number) => {
        const backend = await redisProvider.setup(); // a key prefix of its own, deleted after
        const env = {
          ...backend.env,
          DATABASE_URL: "",
          REDIS_URL: throughDoor(redisTestUrl, port),
        };
        return { env, teardown: () => backend.teardown() };
      },
    })),
];

describe("health and readiness", () => {
  it.each(doors)(
    "serves /healthz with $name down, and turns /readyz from 503 to 200 once it is back",
    async ({ service, setup }) => {
      const port = await findFreePort();
      const door = serviceDoor(port, service());
      const { env: settings, teardown } = await setup(port);
      let server: NextServer | undefined;
      try {
        const instance = await startInstance("door", settings, "live");
        server = instance;
        const health = await fetch(`${instance.baseUrl}/healthz`);
        expect(health.status).toBe(200);
        expect(await health.json()).toEqual({ status: "ok" });

        const notReady = await fetch(`${instance.baseUrl}/readyz`);
        expect(notReady.status).toBe(503);
        const body = (await notReady.json()) as { status: string; reason: string };
        expect(body.status).toBe("unavailable");
        expect(body.reason).toMatch(/ECONNREFUSED|connect/iu);
        for (const url of Object.values(settings)) if (url) expect(body.reason).not.toContain(url);
        const refused = await fetch(`${instance.baseUrl}/event-stream?channels=home`);
        expect(refused.status).toBe(503);
        await refused.body?.cancel();

        await door.open();
        await waitFor(async () => (await fetch(`${instance.baseUrl}/readyz`)).status === 200, WAIT);
        const stream = await openSse(`${instance.baseUrl}/event-stream?channels=home`);
        streams.push(stream);
        expect(stream.response.status).toBe(200);
        expect((await stream.next()).selector).toBe("cmd.onConnect");
      } finally {
        await server?.stop(); // before the teardown: a stopping instance still writes
        await door.close();
        await teardown();
      }
    },
  );
});

withNginx("behind nginx (compose.yaml's configuration), two instances", () => {
  async function cluster(env: Record<string, string> = {}) {
    const [a, b] = await Promise.all([startInstance("A", env), startInstance("B", env)]);
    const proxy = await startNginx([a.baseUrl.slice(7), b.baseUrl.slice(7)]);
    proxies.push(proxy);
    return { a, b, proxy };
  }

  it("delivers each frame as it is published, not when nginx's buffer fills", async () => {
    const { a, proxy } = await cluster();
    const channel = `unbuffered-${randomToken(6)}`;
    const stream = await openSse(`${proxy.baseUrl}/event-stream?channels=${channel}`);
    streams.push(stream);
    expect(stream.response.headers.get("x-accel-buffering")).toBeNull(); // nginx consumes it
    await stream.until("cmd.onJoin");
    await new Publisher(a).publish(channel, "one small frame");
    // A few hundred bytes, through compose.yaml's unbuffered /event-stream location.
    const frame = await stream.until("cmd.chat", 10_000);
    expect(frame.at(-1)!.json).toContain("one small frame");
  });

  it("streams cut every ~2 s while both instances publish: each client sees every message once, in order", async () => {
    const { a, b, proxy } = await cluster({ SSE_MAX_STREAM_DURATION_MS: "2000" });
    const channel = `cuts-${randomToken(6)}`;
    const clients = pools.map((pool) =>
      pool.create({ baseUrl: proxy.baseUrl, channels: [channel] }),
    );
    await Promise.all(clients.map((client) => client.connected()));

    const publishers = [new Publisher(a), new Publisher(b)];
    const sent: string[] = [];
    const startedAt = Date.now();
    for (let i = 0; Date.now() - startedAt < 7_000; i++) {
      const text = `m${i} via ${i % 2 === 0 ? "A" : "B"}`;
      await publishers[i % 2]!.publish(channel, text);
      sent.push(text);
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
    for (const client of clients)
      await waitFor(() => chatTexts(client).length >= sent.length, {
        ...WAIT,
        message: () => `all ${sent.length} messages (got ${chatTexts(client).length})`,
      });
    for (const [index, client] of clients.entries()) {
      expect(chatTexts(client), pools[index]!.kind.name).toEqual(sent);
      // The cuts really happened: several connections, each resumed.
      expect(client.connects.length, pools[index]!.kind.name).toBeGreaterThanOrEqual(3);
    }
  });

  it("SIGTERM to one instance mid-stream: its clients move to the other, and nothing is lost", async () => {
    const { a, b, proxy } = await cluster();
    const channel = `drain-${randomToken(6)}`;
    const clients: { kind: ClientKind; client: RecordedClient }[] = [];
    // Round-robin: four clients land on both instances.
    for (const pool of [...pools, ...pools])
      clients.push({
        kind: pool.kind,
        client: pool.create({ baseUrl: proxy.baseUrl, channels: [channel] }),
      });
    await Promise.all(clients.map(({ client }) => client.connected()));

    const publisher = new Publisher(a);
    const sent: string[] = [];
    const publish = async (count: number) => {
      for (let i = 0; i < count; i++) {
        const text = `d${sent.length}`;
        await publisher.publish(channel, text);
        sent.push(text);
      }
    };
    await publish(20);
    const draining = b.kill("SIGTERM");
    await publish(40);
    await draining;
    await publish(20);

    for (const { kind, client } of clients) {
      await waitFor(() => chatTexts(client).length >= sent.length, {
        ...WAIT,
        message: () =>
          `${kind.name}: all ${sent.length} messages (got ${chatTexts(client).length})`,
      });
      expect(chatTexts(client), kind.name).toEqual(sent);
    }
    expect(b.output()).toMatch(/shutting down: refusing new streams/u);
    // Some clients were on B, and moved.
    expect(clients.some(({ client }) => client.connects.length >= 2)).toBe(true);
  });
});
