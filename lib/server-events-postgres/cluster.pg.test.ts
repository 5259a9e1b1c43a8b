import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { PublishRequest, ServerEventsOptions } from "@/lib/server-events";
import { describeCluster } from "@/lib/server-events-cluster/cluster.contract";
import {
  createTestDatabase,
  pgTemplateUrl,
  truncateServerEventsTables,
  type TestDatabase,
} from "@/lib/testing/pg";
import {
  connectSubscriber,
  frameLabel,
  readUntil,
  type TestSubscriber,
  type TestSubscriberInit,
} from "@/lib/testing/subscriber";
import { messageQueries, publishBatchParams } from "./message-queries";
import { PostgresServerEvents } from "./postgres-server-events";

/** Several instances on one database in one process, like the socket.io Postgres adapter's tests. */
describe.skipIf(!pgTemplateUrl)("Postgres cluster", () => {
  let db: TestDatabase;
  let instances: PostgresServerEvents[] = [];
  let subscribers: TestSubscriber[] = [];
  const errors: unknown[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db.drop();
  });

  async function createInstance(
    options: ServerEventsOptions,
    { reconnectBaseMs = 20 } = {},
  ): Promise<PostgresServerEvents> {
    const events = new PostgresServerEvents(options, {
      pool: db.pool,
      bus: {
        // Slower than the reconnect when a test wants the listener down for a while.
        pollIntervalMs: Math.max(200, reconnectBaseMs * 2),
        listener: {
          probeIntervalMs: 200,
          reconnectBaseMs,
          reconnectMaxMs: Math.max(200, reconnectBaseMs),
        },
      },
    });
    await events.start();
    return events;
  }

  describeCluster("postgres", {
    start: createInstance,
    cutDescription: "pg_terminate_backend",
    async cutListener(events) {
      const pid = events.postgresBus.listener.backendPid;
      await db.pool.query("SELECT pg_terminate_backend($1)", [pid]);
    },
    isListening: (events) => events.postgresBus.listener.backendPid !== undefined,
    clear: () => truncateServerEventsTables(db.pool),
  });

  describe("Postgres specifics", () => {
    afterEach(async () => {
      await Promise.all(subscribers.map((s) => s.frames.cancel().catch(() => undefined)));
      await Promise.all(instances.map((events) => events.stop()));
      instances = [];
      subscribers = [];
      errors.length = 0;
      await truncateServerEventsTables(db.pool);
    });

    async function startInstance(): Promise<PostgresServerEvents> {
      const events = await createInstance({
        houseKeepingIntervalMs: 50,
        onError: (error) => errors.push(error),
      });
      instances.push(events);
      return events;
    }

    async function connect(
      events: PostgresServerEvents,
      init: TestSubscriberInit = {},
      lastEventId?: number,
    ): Promise<TestSubscriber> {
      const subscriber = await connectSubscriber(events, init, lastEventId);
      subscribers.push(subscriber);
      return subscriber;
    }

    it("remembers what it pruned per audience, folding the lowest marks into the one for everyone", async () => {
      const events = await startInstance();
      await truncateServerEventsTables(db.pool);
      for (let n = 0; n < 7; n++) await events.notifyChannel(`c${n}`, "cmd.n", n);
      const { rows } = await db.pool.query<{ id: string }>(
        "SELECT id::text FROM server_events_messages WHERE selector = 'cmd.n' ORDER BY id",
      );
      const ids = rows.map((row) => row.id);
      expect(ids).toHaveLength(7);
      // One real message kept, and at most four marks: six dropped, the lower four folded.
      await db.pool.query(messageQueries.prune, [3_600_000, 1]);
      await db.pool.query(messageQueries.foldMarks, [4, messageQueries.prunedThroughKey]);
      const marks = await db.pool.query<{ audience: string; pruned_through: string }>(
        "SELECT audience, pruned_through::text FROM server_events_pruned_audiences ORDER BY 1",
      );
      expect(marks.rows).toEqual([
        { audience: "channel:c4", pruned_through: ids[4] },
        { audience: "channel:c5", pruned_through: ids[5] },
      ]);
      const everyone = await db.pool.query<{ value: string }>(
        "SELECT value::text FROM server_events_sequences WHERE name = $1",
        [messageQueries.prunedThroughKey],
      );
      expect(everyone.rows[0]?.value).toBe(ids[3]);

      // A reset of a log already emptied by retention keeps what the marks knew.
      await db.pool.query("DELETE FROM server_events_messages");
      await db.pool.query(messageQueries.pruneAll, [messageQueries.prunedThroughKey]);
      const afterReset = await db.pool.query<{ value: string }>(
        "SELECT value::text FROM server_events_sequences WHERE name = $1",
        [messageQueries.prunedThroughKey],
      );
      expect(afterReset.rows[0]?.value).toBe(ids[5]);
    });

    it("never lets a later id commit before an earlier one, so replay cannot skip", async () => {
      const [a, b] = [await startInstance(), await startInstance()];
      const watcher = await connect(a, { channels: ["h"] });
      const slow = await db.pool.connect();
      try {
        // A publisher that took its id and has not committed yet…
        await slow.query("BEGIN");
        const slowBatch: PublishRequest[] = [
          { target: { kind: "channel", value: "h" }, selector: "cmd.slow", json: "1" },
        ];
        const { params } = publishBatchParams(slowBatch, "server_events");
        await slow.query(messageQueries.publishBatch, params);
        // …holds back the next publisher until it commits.
        const fast = b.notifyChannel("h", "cmd.fast", 2);
        await expect
          .poll(async () => {
            const { rows } = await db.pool.query<{ waiting: string }>(
              "SELECT count(*) AS waiting FROM pg_locks WHERE NOT granted",
            );
            return Number(rows[0]!.waiting);
          })
          .toBe(1);
        await slow.query("COMMIT");
        await fast;
      } finally {
        slow.release();
      }
      const frames = (await readUntil(watcher, "cmd.fast")).filter(
        (f) => !f.selector.startsWith("cmd.on"),
      );
      expect(frames.map(frameLabel)).toEqual(["h@cmd.slow", "h@cmd.fast"]);
      expect(frames[1]!.id).toBe(frames[0]!.id + 1);
      const resumed = await connect(b, { channels: ["h"] }, frames[0]!.id - 1);
      const replayed = await readUntil(resumed, "cmd.fast");
      expect(replayed.map(frameLabel)).toEqual(["h@cmd.slow", "h@cmd.fast"]);
    });

    it("reports background errors to onError instead of throwing", async () => {
      const a = await startInstance();
      a.postgresBus.listener["options"].onPayload("m not-a-payload");
      expect(errors.length).toBeGreaterThan(0);
    });
  });
});
