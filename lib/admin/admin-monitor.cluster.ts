import { afterEach, describe, expect, it } from "vitest";
import type { ClusterServerEvents } from "@/lib/server-events-cluster";
import { connectSubscriber, type TestSubscriber } from "@/lib/testing/subscriber";
import { AdminMonitor } from "./admin-monitor";
import { clusterView, recordReport, type InstanceRegistry } from "./cluster-view";

/** Reports this often here, so a test sees several within a second. */
const FAST_REPORTS_MS = 100;
const FAST_TIMEOUT_MS = 3 * FAST_REPORTS_MS + 200;

/**
 * Two instances of a cluster provider, each with its own monitor: either one's dashboard shows
 * the whole cluster. Run with `describeMonitorCluster("postgres", start)` and for Redis.
 */
export function describeMonitorCluster(
  name: string,
  start: (instanceId: string) => Promise<ClusterServerEvents>,
): void {
  describe(`admin monitor on a ${name} cluster`, () => {
    const running: { events: ClusterServerEvents; monitor: AdminMonitor }[] = [];
    const subscribers: TestSubscriber[] = [];
    const errors: unknown[] = [];

    afterEach(async () => {
      await Promise.all(subscribers.splice(0).map((s) => s.frames.cancel()));
      for (const { events, monitor } of running.splice(0)) {
        monitor.stop();
        await events.stop();
      }
      expect(errors.splice(0)).toEqual([]);
    });

    async function instance(instanceId: string) {
      const events = await start(instanceId);
      const monitor = new AdminMonitor({
        events,
        local: events.local,
        instanceId,
        reportIntervalMs: FAST_REPORTS_MS,
        instanceTimeoutMs: FAST_TIMEOUT_MS,
        onError: (error) => errors.push(error),
      });
      monitor.start();
      running.push({ events, monitor });
      return { events, monitor };
    }

    function viewOf(monitor: AdminMonitor) {
      let registry: InstanceRegistry = new Map();
      for (const { ageMs, ...report } of monitor.snapshot().reports)
        registry = recordReport(registry, report, Date.now() - ageMs);
      return clusterView(registry, Date.now(), FAST_TIMEOUT_MS);
    }

    it("shows every instance's streams and the whole traffic on either instance", async () => {
      const a = await instance(`${name}-a`);
      const b = await instance(`${name}-b`);
      for (const [events, channels] of [
        [a.events, ["home"]],
        [b.events, ["home"]],
        [b.events, ["lobby"]],
      ] as const)
        subscribers.push(await connectSubscriber(events, { channels: [...channels] }));
      for (const monitor of [a.monitor, b.monitor])
        await expect
          .poll(() => viewOf(monitor).totals)
          .toMatchObject({ subscriptions: 3, channels: 2, instances: 2 });
      expect(viewOf(a.monitor).channels.map((c) => [c.name, c.members])).toEqual([
        ["home", 2],
        ["lobby", 1],
      ]);

      // Published on b, seen by a's meter: the bus hands every instance every message.
      for (let i = 0; i < 20; i++) await b.events.notifyChannel("home", "cmd.chat", i);
      await expect.poll(() => viewOf(a.monitor).totals.messagesPerSecond).toBeGreaterThan(0);
    });

    it("drops an instance that stops reporting", async () => {
      const a = await instance(`${name}-a`);
      const b = await instance(`${name}-b`);
      await expect.poll(() => viewOf(a.monitor).totals.instances).toBe(2);
      b.monitor.stop();
      await expect
        .poll(() => viewOf(a.monitor).instances.map((row) => row.instanceId))
        .toEqual([`${name}-a`]);
    });
  });
}
