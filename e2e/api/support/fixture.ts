import { afterAll, beforeAll } from "vitest";
import { randomToken, startNextServer, type NextServer } from "./next-server";
import { DemoServices } from "./services";

export interface ServerFixture {
  server: NextServer;
  baseUrl: string;
  adminToken: string;
  services: DemoServices;
}

/**
 * One `next start` for the calling test file (memory provider, default heartbeat interval,
 * a random `SSE_ADMIN_TOKEN`), started in `beforeAll` and killed in `afterAll`.
 * Read the returned getter inside tests and hooks only.
 */
export function nextServerFixture(
  env: Record<string, string | undefined> = {},
): () => ServerFixture {
  let fixture: ServerFixture | undefined;
  beforeAll(async () => {
    const adminToken = randomToken(32);
    const server = await startNextServer({ env: { SSE_ADMIN_TOKEN: adminToken, ...env } });
    fixture = {
      server,
      baseUrl: server.baseUrl,
      adminToken,
      services: new DemoServices(server.baseUrl, adminToken),
    };
  });
  afterAll(async () => {
    await fixture?.server.stop();
  });
  return () => {
    if (!fixture) throw new Error("the Next server is not started (use it inside tests or hooks)");
    return fixture;
  };
}
