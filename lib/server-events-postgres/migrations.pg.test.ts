import { afterEach, describe, expect, it } from "vitest";
import { createTestDatabase, pgTemplateUrl, type TestDatabase } from "@/lib/testing/pg";
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
});
