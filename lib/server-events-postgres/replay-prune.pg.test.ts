import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, pgTemplateUrl, type TestDatabase } from "@/lib/testing/pg";
import { connectSubscriber, readUntil, type TestSubscriber } from "@/lib/testing/subscriber";
import { messageQueries } from "./message-queries";
import { PostgresServerEvents } from "./postgres-server-events";

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

/**
 * A resume reads the rows it missed and the prune mark. A prune that commits while it reads must
 * not let it claim a complete replay with rows gone: the pool below runs a prune of everything
 * just before the replay's read of the message rows reaches the database.
 */
describe.skipIf(!pgTemplateUrl)("replay while a prune commits", () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  let events: PostgresServerEvents;
  const subscribers: TestSubscriber[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db.drop();
  });

  afterEach(async () => {
    await Promise.all(subscribers.splice(0).map((s) => s.frames.cancel().catch(() => undefined)));
    await events.stop();
    await pool.end();
  });

  it("says recovered=false, never true with the pruned messages missing", async () => {
    pool = new pg.Pool({ connectionString: db.url, max: 4 });
    // db.drop()'s DROP … WITH (FORCE) may still find one of its connections closing.
    pool.on("error", () => undefined);
    let pruneBeforeReplay = false;
    let markRead = deferred();
    const query = pool.query.bind(pool) as (text: string, values?: unknown[]) => Promise<unknown>;
    // The worst order for a replay: the prune mark read first (when it is a query of its own),
    // then a prune of everything committed, then the read of the missed rows.
    (pool as unknown as { query: typeof query }).query = async (text, values) => {
      if (!pruneBeforeReplay) return query(text, values);
      const readsRows = text.includes("target_kind = 'all'");
      const readsMarkOnly =
        !readsRows && !text.includes("DELETE") && values?.includes(messageQueries.prunedThroughKey);
      if (readsMarkOnly) {
        const result = await query(text, values);
        markRead.resolve();
        return result;
      }
      if (!readsRows) return query(text, values);
      if (!text.includes("pruned_through")) await markRead.promise;
      await query(messageQueries.pruneAll, [messageQueries.prunedThroughKey]);
      pruneBeforeReplay = false;
      return query(text, values);
    };
    events = new PostgresServerEvents(
      { notifyChannelOfSubscriptions: false, onError: () => undefined },
      { pool },
    );
    await events.start();
    const first = await connectSubscriber(events, { channels: ["a"] });
    subscribers.push(first);
    await events.notifyChannel("a", "cmd.one", 1);
    const [one] = await readUntil(first, "cmd.one");
    await first.frames.cancel();
    await events.notifyChannel("a", "cmd.two", 2);

    markRead = deferred();
    pruneBeforeReplay = true;
    const resumed = await connectSubscriber(events, { channels: ["a"] }, one!.id);
    subscribers.push(resumed);
    expect(pruneBeforeReplay).toBe(false);
    expect(resumed.connectFrame.body).toMatchObject({ recovered: "false" });
  });
});
