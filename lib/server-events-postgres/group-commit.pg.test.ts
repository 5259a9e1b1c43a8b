import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, pgTemplateUrl, type TestDatabase } from "@/lib/testing/pg";
import { connectSubscriber, type TestSubscriber } from "@/lib/testing/subscriber";
import { PostgresServerEvents } from "./postgres-server-events";

/** What a subscriber saw: id and body of every `cmd.n`, in the order it arrived. */
type Seen = { id: number; key: string }[];

const PUBLISHERS_PER_INSTANCE = 16;
const MESSAGES_PER_PUBLISHER = 40;

/**
 * Many concurrent publishers on two instances against one database, the way a busy cluster
 * publishes: whatever the batching, every subscriber must see exactly the committed log, in commit
 * order, and a replay from any id on either instance must equal what was seen live.
 */
describe.skipIf(!pgTemplateUrl)("group commit under concurrent publishers", () => {
  let db: TestDatabase;
  let pools: pg.Pool[] = [];
  let instances: PostgresServerEvents[] = [];
  let subscribers: TestSubscriber[] = [];
  const errors: unknown[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db.drop();
  });

  afterEach(async () => {
    await Promise.all(subscribers.map((s) => s.frames.cancel().catch(() => undefined)));
    await Promise.all(instances.map((events) => events.stop()));
    await Promise.all(pools.map((pool) => pool.end()));
    [pools, instances, subscribers] = [[], [], []];
    errors.length = 0;
    await db.pool.query("TRUNCATE server_events_subscriptions, server_events_messages");
  });

  async function startInstance(): Promise<PostgresServerEvents> {
    const pool = new pg.Pool({ connectionString: db.url, max: 4 });
    pool.on("error", () => undefined);
    pools.push(pool);
    const events = new PostgresServerEvents(
      { notifyChannelOfSubscriptions: false, onError: (error) => errors.push(error) },
      {
        pool,
        bus: {
          pollIntervalMs: 200,
          listener: { probeIntervalMs: 200, reconnectBaseMs: 20, reconnectMaxMs: 100 },
        },
      },
    );
    await events.start();
    instances.push(events);
    return events;
  }

  async function subscribe(events: PostgresServerEvents, after?: number) {
    const subscriber = await connectSubscriber(events, { channels: ["s"] }, after);
    subscribers.push(subscriber);
    return subscriber;
  }

  /** Frames up to the marker, as id and key. */
  async function readToMarker(subscriber: TestSubscriber): Promise<Seen> {
    const seen: Seen = [];
    for (;;) {
      const frame = await subscriber.frames.next();
      if (frame.selector === "cmd.marker") return seen;
      seen.push({ id: frame.id, key: (frame.body as { key: string }).key });
    }
  }

  /**
   * Terminates every other backend on the test database (listeners and pooled connections) from
   * a connection opened beforehand, so that a kill lands while the publishers are still running.
   */
  async function connectKiller(): Promise<{ kill(): Promise<void>; end(): Promise<void> }> {
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    return {
      kill: async () => {
        await admin.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
           WHERE datname = current_database() AND pid <> pg_backend_pid()`,
        );
      },
      end: () => admin.end(),
    };
  }

  async function run({ killAfter = [] as number[] } = {}) {
    const [a, b] = [await startInstance(), await startInstance()];
    const live = [await subscribe(a), await subscribe(b)];
    const killer = killAfter.length > 0 ? await connectKiller() : null;
    const committed = new Set<string>();
    let settled = 0;
    let failed = 0;
    let killing: Promise<void> | null = null;
    const kills: Promise<void>[] = [];
    const kill = () => {
      killing = killer!.kill().finally(() => (killing = null));
      kills.push(killing);
    };
    const publisher = async (events: PostgresServerEvents, name: string) => {
      for (let n = 0; n < MESSAGES_PER_PUBLISHER; n++) {
        const key = `${name}.${n}`;
        // A publish whose connection is killed fails; its message may or may not have committed.
        await events.notifyChannel("s", "cmd.n", { key }).then(
          () => committed.add(key),
          () => failed++,
        );
        settled++;
        if (killAfter.includes(settled)) kill();
        // A kill can land between two batches and fail nothing (the pool drops an idle
        // connection quietly): then kill again until one fails a batch in flight.
        else if (killer && settled > killAfter[0]! && failed === 0 && !killing) kill();
      }
    };
    await Promise.all(
      [a, b].flatMap((events, i) =>
        Array.from({ length: PUBLISHERS_PER_INSTANCE }, (_, p) => publisher(events, `${i}.${p}`)),
      ),
    );
    await Promise.all(kills);
    await killer?.end();
    await publishMarker(a);
    const { rows } = await db.pool.query<{ id: string; json: string }>(
      "SELECT id, json FROM server_events_messages WHERE selector = 'cmd.n' ORDER BY id",
    );
    const log: Seen = rows.map((r) => ({
      id: Number(r.id),
      key: (JSON.parse(r.json) as { key: string }).key,
    }));
    return { a, b, live: await Promise.all(live.map(readToMarker)), log, committed };
  }

  /**
   * The end-of-run marker, retried as a caller would: right after the kills, the pool may still
   * hand out a connection whose death it has not noticed yet. A second marker is harmless.
   */
  async function publishMarker(events: PostgresServerEvents): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await events.notifyChannel("s", "cmd.marker", null);
      } catch (error) {
        if (attempt === 5) throw error;
      }
    }
  }

  function expectExactLog(log: Seen, committed: Set<string>): void {
    const ids = log.map((entry) => entry.id);
    expect(ids.at(-1)! - ids[0]! + 1, "no id gaps").toBe(ids.length);
    expect(new Set(log.map((entry) => entry.key)).size, "no duplicates").toBe(log.length);
    const logged = new Set(log.map((entry) => entry.key));
    expect(
      [...committed].filter((key) => !logged.has(key)),
      "every resolved publish",
    ).toEqual([]);
  }

  async function expectReplaysMatch(events: PostgresServerEvents[], log: Seen): Promise<void> {
    for (const at of [0, 1, Math.floor(log.length / 3), log.length - 2])
      for (const instance of events) {
        const resumed = await subscribe(instance, log[at]!.id);
        expect(await readToMarker(resumed)).toEqual(log.slice(at + 1));
      }
  }

  it("gives every subscriber on every instance the commit order, with nothing missing", async () => {
    const { a, b, live, log, committed } = await run();
    expect(log).toHaveLength(2 * PUBLISHERS_PER_INSTANCE * MESSAGES_PER_PUBLISHER);
    expect(committed.size).toBe(log.length);
    expectExactLog(log, committed);
    for (const seen of live) expect(seen).toEqual(log);
    await expectReplaysMatch([a, b], log);
    expect(errors).toEqual([]);
  });

  it("stays exact when every connection is killed mid-batch (pg_terminate_backend)", async () => {
    const total = 2 * PUBLISHERS_PER_INSTANCE * MESSAGES_PER_PUBLISHER;
    const { a, b, live, log, committed } = await run({
      killAfter: [total / 5, total / 2, (4 * total) / 5],
    });
    expect(committed.size, "the kills failed batches in flight").toBeLessThan(total);
    expectExactLog(log, committed);
    for (const seen of live) expect(seen).toEqual(log);
    await expectReplaysMatch([a, b], log);
    expect(errors.length, "the listeners reported their lost connections").toBeGreaterThan(0);
  });
});
