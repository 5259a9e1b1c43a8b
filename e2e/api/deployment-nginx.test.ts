/**
 * Deployment behaviours (docs/deploy.md) behind nginx with compose.yaml's own configuration, two
 * instances on one Postgres database: frames that cross nginx unbuffered, streams that end on
 * schedule (SSE_MAX_STREAM_DURATION_MS) and lose nothing, and a SIGTERM'd instance whose clients
 * move to the other one.
 *
 * Needs Postgres at PG_ADMIN_URL and Debian's nginx (.ci/run provides both; with CI set a missing
 * nginx fails the file, otherwise its tests are skipped with a warning).
 */
import { afterEach, describe, expect, it } from "vitest";
import { officialClient, ownClient, type ClientKind } from "./support/clients";
import { chatTexts } from "./support/cluster-fixture";
import { deploymentFixture, WAIT } from "./support/deployment-fixture";
import { nginxBinary, startNginx, type RunningNginx } from "./support/nginx";
import { randomToken, type NextServer } from "./support/next-server";
import { ClientPool, type RecordedClient } from "./support/recorder";
import type { SseStream } from "./support/sse";
import { waitFor } from "./support/wait";

if (!nginxBinary && process.env.CI) throw new Error("deployment-nginx.test.ts needs nginx in CI");
if (!nginxBinary)
  console.warn("[deployment-nginx.test] nginx is not installed: its tests are SKIPPED");
const withNginx = nginxBinary ? describe : describe.skip;

const { startInstance, openStream } = deploymentFixture();
const proxies: RunningNginx[] = [];
const pools = [new ClientPool(officialClient), new ClientPool(ownClient)];

// Registered after the fixture's hook, so it runs first (vitest runs after-hooks in reverse
// order): clients and nginx go before the instances they are connected to.
afterEach(async () => {
  await Promise.all(pools.map((pool) => pool.stopAll()));
  await Promise.all(proxies.splice(0).map((proxy) => proxy.stop()));
});

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
    const stream = await openStream(`${this.server.baseUrl}/event-stream?channels=publishers`);
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
    const stream = await openStream(`${proxy.baseUrl}/event-stream?channels=${channel}`);
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
