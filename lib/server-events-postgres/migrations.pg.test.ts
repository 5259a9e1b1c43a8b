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
      "0004_pruned_audiences",
    ]);
    expect(await columnsOf("server_events_pruned_audiences")).toEqual([
      "audience",
      "pruned_through",
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

  it("build the very tables the app's drizzle-kit migrations build from ./schema.ts", async () => {
    // The provider keeps its schema twice (these SQL steps, and schema.ts for drizzle-kit): the
    // two must agree column for column and index for index, or one kind of install drifts.
    const fromProvider = await createTestDatabase({ empty: true });
    const fromDrizzle = await createTestDatabase();
    try {
      const provider = new PostgresServerEvents({}, { pool: fromProvider.pool });
      await provider.start();
      await provider.stop();
      expect(await describeTables(fromProvider)).toEqual(await describeTables(fromDrizzle));
    } finally {
      await Promise.all([fromProvider.drop(), fromDrizzle.drop()]);
    }
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

/** Every column (type, nullability, default) and index of the provider's tables. */
async function describeTables(db: TestDatabase): Promise<unknown> {
  const tables = [
    "server_events_messages",
    "server_events_sequences",
    "server_events_subscriptions",
  ];
  const columns = await db.pool.query(
    `SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default
     FROM information_schema.columns WHERE table_name = ANY($1) ORDER BY table_name, column_name`,
    [tables],
  );
  const indexes = await db.pool.query(
    "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE tablename = ANY($1) ORDER BY indexname",
    [tables],
  );
  const constraints = await db.pool.query(
    `SELECT conrelid::regclass::text AS table_name, contype, pg_get_constraintdef(oid) AS definition
     FROM pg_constraint WHERE conrelid::regclass::text = ANY($1) ORDER BY 1, 2, 3`,
    [tables],
  );
  return { columns: columns.rows, indexes: indexes.rows, constraints: constraints.rows };
}
