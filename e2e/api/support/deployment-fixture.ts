/**
 * The shared setup of the deployment tests (e2e/api/deployment-*.test.ts): one throwaway Postgres
 * database for the calling file, and instances and event streams that each test starts on it and
 * that are stopped and closed after the test. Call `deploymentFixture` at the top level of the file.
 */
import { afterAll, afterEach, beforeAll } from "vitest";
import { createThrowawayDatabase, type ThrowawayDatabase } from "./database";
import { randomToken, startNextServer, type NextServer } from "./next-server";
import { openSse, type SseStream } from "./sse";

/** What a test waits for: generous, instances start and migrate while the machine is loaded. */
export const WAIT = { timeoutMs: 30_000 };

/** Function-typed properties, not methods: tests destructure them. */
export interface DeploymentFixture {
  /** The file's database; read it inside tests and hooks only. */
  database: () => ThrowawayDatabase;
  /**
   * An instance on the file's database (`env` may point it elsewhere), stopped after the test.
   * `"live"` waits only for /healthz, for an instance whose backing service is down.
   */
  startInstance: (
    name: string,
    env?: Record<string, string>,
    waitUntil?: "ready" | "live",
  ) => Promise<NextServer>;
  /** An event stream at `url`, closed after the test. */
  openStream: (url: string) => Promise<SseStream>;
}

export function deploymentFixture(): DeploymentFixture {
  let database: ThrowawayDatabase | undefined;
  const servers: NextServer[] = [];
  const streams: SseStream[] = [];

  beforeAll(async () => {
    database = await createThrowawayDatabase("server_events_deploy");
  });

  afterEach(async () => {
    for (const stream of streams.splice(0)) stream.close();
    await Promise.all(servers.splice(0).map((server) => server.stop()));
  });

  afterAll(async () => {
    await database?.drop();
  });

  const currentDatabase = () => {
    if (!database) throw new Error("the database is not created (use it inside tests or hooks)");
    return database;
  };

  async function startInstance(
    name: string,
    env: Record<string, string> = {},
    waitUntil: "ready" | "live" = "ready",
  ): Promise<NextServer> {
    const server = await startNextServer({
      startupTimeoutMs: 90_000,
      waitUntil,
      env: {
        DATABASE_URL: currentDatabase().url,
        INSTANCE_ID: `deploy-${name}-${randomToken(6)}`,
        SSE_HOUSEKEEPING_INTERVAL_MS: "500",
        ...env,
      },
    });
    servers.push(server);
    return server;
  }

  async function openStream(url: string): Promise<SseStream> {
    const stream = await openSse(url);
    streams.push(stream);
    return stream;
  }

  return { database: currentDatabase, startInstance, openStream };
}
