import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase } from "@/db/client";
import type { ChatMessage } from "@/lib/demo-services/chat-history";
import { createTestDatabase, pgTemplateUrl, type TestDatabase } from "@/lib/testing/pg";
import { PostgresChatHistory } from "./postgres-chat-history";

const message = (id: number, channel: string): ChatMessage => ({
  id,
  channel,
  fromUserId: "u1",
  fromName: "ada",
  displayName: "Ada",
  message: `message ${id}`,
  userAuthId: null,
  private: false,
  createdAt: 1_700_000_000_000 + id,
  selector: "cmd.chat",
});

describe.skipIf(!pgTemplateUrl)("PostgresChatHistory", () => {
  let db: TestDatabase;
  let history: PostgresChatHistory;

  beforeAll(async () => {
    db = await createTestDatabase();
    history = new PostgresChatHistory(createDatabase(db.pool));
  });

  afterAll(async () => {
    await db.drop();
  });

  it("returns the newest messages of the given channels, oldest first", async () => {
    for (let id = 1; id <= 5; id++) await history.append(message(id, id % 2 ? "odd" : "even"));
    await history.append(message(6, "other"));
    expect(await history.recent(["odd", "even"], 3)).toEqual([
      message(3, "odd"),
      message(4, "even"),
      message(5, "odd"),
    ]);
    expect((await history.recent(["odd"], 10)).map((m) => m.id)).toEqual([1, 3, 5]);
    await history.clear();
    expect(await history.recent(["odd", "even", "other"], 10)).toEqual([]);
  });
});
