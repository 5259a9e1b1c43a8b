import { afterEach, describe, expect, it } from "vitest";
import { createTestDatabase, pgTemplateUrl, type TestDatabase } from "@/lib/testing/pg";
import { connectSubscriber } from "@/lib/testing/subscriber";
import { serverEventsMigrations } from "./migrations";
import { PostgresServerEvents } from "./postgres-server-events";

describe.skipIf(!pgTemplateUrl)("the provider's own migrations", () => {
  let db: TestDatabase | undefined;

  afterEach(async () => {
    await db?.drop();
    db = undefined;
  });

  async function columnsOf(table: string): Promise<string[]> {
    const { rows } = await db!.pool.query<{ column_name: string }>(
      "SELECT column_name FROM information_schema.columns WHERE table_name = $1 ORDER BY 1",
      [table],
    );
    return rows.map((row) => row.column_name);
  }

  it("creates every table on an empty database, once, whichever instance starts first", async () => {
    db = await createTestDatabase({ empty: true });
    const instances = ["a", "b"].map(
      (instanceId) => new PostgresServerEvents({}, { pool: db!.pool, instanceId }),
    );
    await Promise.all(instances.map((events) => events.start()));
    expect(await columnsOf("server_events_messages")).not.toContain("ephemeral");
    expect(await columnsOf("server_events_subscriptions")).toContain("last_pulse_at");
    expect(await columnsOf("users")).toEqual([]);
    const { rows } = await db.pool.query("SELECT id FROM server_events_migrations ORDER BY id");
    expect(rows.map((row: { id: string }) => row.id)).toEqual([
      "0001_tables",
      "0002_drop_message_ephemeral",
      "0003_message_id_counter",
    ]);
    const first = await instances[0]!.getNextSequence("x");
    expect(await instances[1]!.getNextSequence("x")).toBe(first + 1);
    await Promise.all(instances.map((events) => events.stop()));
  });

  it("brings a database the app's drizzle migrations created to the same place", async () => {
    db = await createTestDatabase();
    const events = new PostgresServerEvents({}, { pool: db.pool });
    await events.start();
    expect(await columnsOf("server_events_messages")).not.toContain("ephemeral");
    await events.notifyAll("cmd.x", 1);
    await events.stop();
  });

  it("continues message ids where the sequence of an older schema stopped", async () => {
    db = await createTestDatabase({ empty: true });
    // The schema before the id counter: ids from a sequence that has handed out 1,000 so far.
    await db.pool.query(
      "CREATE TABLE server_events_migrations (id text PRIMARY KEY, applied_at timestamptz DEFAULT now() NOT NULL)",
    );
    for (const { id, sql } of serverEventsMigrations.slice(0, 2)) {
      await db.pool.query(sql);
      await db.pool.query("INSERT INTO server_events_migrations (id) VALUES ($1)", [id]);
    }
    await db.pool.query("SELECT setval('server_events_message_ids', 1000)");
    const events = new PostgresServerEvents({}, { pool: db.pool });
    await events.start();
    const subscriber = await connectSubscriber(events, { channels: ["c"] });
    await events.notifyChannel("c", "cmd.after", 1);
    const frame = await subscriber.frames.until((f) => f.selector === "cmd.after");
    expect(frame.id).toBeGreaterThan(1000);
    await subscriber.frames.cancel();
    await events.stop();
  });
});
