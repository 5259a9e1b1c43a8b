/**
 * Health and readiness on Postgres (docs/deploy.md) while the database (or Redis) is down at
 * start-up: /healthz answers, /readyz and new streams answer 503 without leaking the service's
 * URL, and once the service is back /readyz turns 200 and streams open.
 *
 * Needs Postgres at PG_ADMIN_URL, and Redis at REDIS_TEST_URL for its Redis case (.ci/run provides
 * both; with CI set a missing one fails the file, otherwise what needs it is skipped with a
 * warning).
 */
import { createServer, connect, type Server, type Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { reachableProviders, redisProvider, redisTestUrl } from "./support/cluster-providers";
import { deploymentFixture, WAIT } from "./support/deployment-fixture";
import { findFreePort, randomToken, type NextServer } from "./support/next-server";
import { waitFor } from "./support/wait";

const { database, startInstance, openStream } = deploymentFixture();

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
    service: () => serviceAt(database().url, 5432),
    setup: (port: number) =>
      Promise.resolve({
        env: { DATABASE_URL: throughDoor(database().url, port) },
        teardown: async () => {},
      }),
  },
  ...(await reachableProviders("e2e/api/deployment-readiness.test.ts"))
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
        const metricsToken = randomToken(32);
        const instance = await startInstance(
          "door",
          { ...settings, METRICS_TOKEN: metricsToken },
          "live",
        );
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
        // The process's own metrics still answer: an outage is when the operator needs them.
        const metrics = await fetch(`${instance.baseUrl}/metrics`, {
          headers: { Authorization: `Bearer ${metricsToken}` },
        });
        expect(metrics.status).toBe(200);
        expect(await metrics.text()).toMatch(/^process_cpu_seconds_total /mu);

        await door.open();
        await waitFor(async () => (await fetch(`${instance.baseUrl}/readyz`)).status === 200, WAIT);
        const stream = await openStream(`${instance.baseUrl}/event-stream?channels=home`);
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
