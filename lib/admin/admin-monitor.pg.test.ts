import { afterAll, beforeAll, describe } from "vitest";
import { PostgresServerEvents } from "@/lib/server-events-postgres";
import { createTestDatabase, pgTemplateUrl, type TestDatabase } from "@/lib/testing/pg";
import { describeMonitorCluster } from "./admin-monitor.cluster";

describe.skipIf(!pgTemplateUrl)("admin monitor, Postgres", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  describeMonitorCluster("postgres", async (instanceId) => {
    const events = new PostgresServerEvents(
      { onError: () => undefined },
      { pool: db.pool, instanceId, bus: { pollIntervalMs: 200 } },
    );
    await events.start();
    return events;
  });
});
