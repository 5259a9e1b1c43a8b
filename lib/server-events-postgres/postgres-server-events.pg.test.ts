import { afterAll, beforeAll, describe } from "vitest";
import {
  describeServerEvents,
  type CreateServerEvents,
} from "@/lib/server-events/server-events.contract";
import { describeSubscriptionActions } from "@/lib/server-events/subscription-actions.contract";
import {
  createTestDatabase,
  pgTemplateUrl,
  truncateServerEventsTables,
  type TestDatabase,
} from "@/lib/testing/pg";
import { PostgresServerEvents } from "./postgres-server-events";

describe.skipIf(!pgTemplateUrl)("PostgresServerEvents", () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db.drop();
  });

  const create: CreateServerEvents = async (options) => {
    await truncateServerEventsTables(db.pool);
    const events = new PostgresServerEvents(options, { pool: db.pool });
    await events.start();
    return { events, cleanup: () => events.stop() };
  };

  describeServerEvents("postgres", create);
  describeSubscriptionActions("postgres", create);
});
