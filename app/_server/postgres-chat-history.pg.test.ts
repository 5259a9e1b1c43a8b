import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase } from "@/db/client";
import { chatMessage, itBehavesLikeChatHistory } from "@/app/_server/chat-history.contract";
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

  // Ten seconds pass between two appends: every new channel may trim (see the test below).
  itBehavesLikeChatHistory((limits) => {
    let now = 0;
    return new PostgresChatHistory(createDatabase(db.pool), limits, () => (now += 10_000));
  });

  it("trims for new channels at most once every ten seconds: anyone may post to a new one", async () => {
    let now = 0;
    const history = new PostgresChatHistory(createDatabase(db.pool), { maxChannels: 2 }, () => now);
    await history.clear();
    for (const [id, channel] of [
      [1, "a"],
      [2, "b"],
      [3, "c"],
      [4, "d"],
    ] as const)
      await history.append(chatMessage(id, channel));
    // One trim, at "a" (3 and 4 came within the interval): four channels for now.
    expect((await history.recent(["a", "b", "c", "d"], 10)).map((m) => m.id)).toEqual([1, 2, 3, 4]);
    now += 10_000;
    await history.append(chatMessage(5, "e"));
    expect((await history.recent(["a", "b", "c", "d", "e"], 10)).map((m) => m.id)).toEqual([4, 5]);
  });
});
