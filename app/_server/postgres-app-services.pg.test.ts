import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, pgTemplateUrl, type TestDatabase } from "@/lib/testing/pg";
import type { CommittedBatch } from "@/lib/server-events-cluster";
import { createPostgresAppServices } from "./postgres-app-services";
import { expectOneSharedBackend } from "./testing/shared-backend";

describe.skipIf(!pgTemplateUrl)("createPostgresAppServices", () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db.drop();
  });

  it("migrates, starts the provider with the chat history, and closes", async () => {
    const batches: CommittedBatch[] = [];
    const services = await Promise.all(
      ["one", "two"].map((instanceId) =>
        createPostgresAppServices({
          databaseUrl: db.url,
          instanceId,
          options: {},
          observer: { batchCommitted: (batch) => batches.push(batch) },
        }),
      ),
    );
    const [one, two] = services as [(typeof services)[0], (typeof services)[0]];
    await expectOneSharedBackend(one, two);
    // The metrics hook sees the batch a publish was committed in.
    await one.serverEvents.notifyAll("cmd.ping", null);
    expect(batches).toContainEqual(expect.objectContaining({ size: 1 }));
    await Promise.all(services.map((s) => s.serverEvents.stop({ notify: true })));
    await one.close();
  });
});
