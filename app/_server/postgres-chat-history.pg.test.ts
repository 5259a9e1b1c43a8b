import { afterAll, beforeAll, describe } from "vitest";
import { createDatabase } from "@/db/client";
import { itBehavesLikeChatHistory } from "@/app/_server/chat-history.contract";
import { createTestDatabase, pgTemplateUrl, type TestDatabase } from "@/lib/testing/pg";
import { PostgresChatHistory } from "./postgres-chat-history";

describe.skipIf(!pgTemplateUrl)("PostgresChatHistory", () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db.drop();
  });

  itBehavesLikeChatHistory((limits) => new PostgresChatHistory(createDatabase(db.pool), limits));
});
