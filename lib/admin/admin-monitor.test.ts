import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MemoryServerEvents } from "@/lib/server-events";
import { connectSubscriber, type TestSubscriber } from "@/lib/testing/subscriber";
import {
  ADMIN_CHANNEL,
  INSTANCE_REPORT_SELECTOR,
  INSTANCE_TIMEOUT_MS,
  REPORT_INTERVAL_MS,
  type InstanceReport,
} from "./admin-channel";
import { AdminMonitor } from "./admin-monitor";
import { clusterView, recordReport, type InstanceRegistry } from "./cluster-view";

let events: MemoryServerEvents;
let monitor: AdminMonitor;
const errors: unknown[] = [];
const subscribers: TestSubscriber[] = [];

beforeEach(async () => {
  vi.useFakeTimers({ now: 1_700_000_000_000, toFake: ["Date", "setInterval", "clearInterval"] });
  // Streams here never heartbeat: they must outlive the ten minutes some tests span.
  events = new MemoryServerEvents({ idleTimeoutMs: 86_400_000, onError: (e) => errors.push(e) });
  await events.start();
  monitor = new AdminMonitor({
    events,
    local: events,
    instanceId: "solo",
    onError: (error) => errors.push(error),
  });
  monitor.start();
});

afterEach(async () => {
  monitor.stop();
  await Promise.all(subscribers.splice(0).map((s) => s.frames.cancel()));
  await events.stop();
  vi.useRealTimers();
  expect(errors.splice(0)).toEqual([]);
});

async function connect(channels: string[]) {
  const subscriber = await connectSubscriber(events, { channels });
  subscribers.push(subscriber);
  return subscriber;
}

/** What a dashboard would show from the monitor's snapshot, right now. */
function dashboardView() {
  let registry: InstanceRegistry = new Map();
  for (const { ageMs, ...report } of monitor.snapshot().reports)
    registry = recordReport(registry, report, Date.now() - ageMs);
  return clusterView(registry, Date.now());
}

async function nextReport() {
  await vi.advanceTimersByTimeAsync(REPORT_INTERVAL_MS);
}

describe("AdminMonitor", () => {
  it("reports this instance's streams and channel members to the admin channel", async () => {
    const admin = await connect([ADMIN_CHANNEL]);
    await connect(["home", "lobby"]);
    await connect(["home"]);
    await nextReport();
    const frame = await admin.frames.until((f) => f.selector === INSTANCE_REPORT_SELECTOR);
    const report = frame.body as InstanceReport;
    expect(frame.channel).toBe(ADMIN_CHANNEL);
    expect(report).toMatchObject({ instanceId: "solo", subscriptions: 3 });
    // The admin channel is the dashboard's own plumbing, not something it reports on.
    expect(report.channels.map((c) => [c.name, c.members])).toEqual([
      ["home", 2],
      ["lobby", 1],
    ]);
    expect(dashboardView().totals).toMatchObject({ subscriptions: 3, channels: 2, instances: 1 });
  });

  it("measures traffic without counting its own reports", async () => {
    // Ten seconds of 3 messages a second; the report at the end of the tenth sees the last five.
    for (let second = 0; second < 10; second++) {
      for (let i = 0; i < 3; i++) await events.notifyChannel("home", "cmd.chat", i);
      await vi.advanceTimersByTimeAsync(1_000);
    }
    const view = dashboardView();
    expect(view.totals.messagesPerSecond).toBe(3);
    expect(view.channels.find((c) => c.name === "home")?.messagesPerSecond).toBe(3);

    for (let i = 0; i < 5; i++) await nextReport();
    expect(dashboardView().totals.messagesPerSecond).toBe(0);
  });

  it("adds other instances' reports, and drops one that stops reporting", async () => {
    const other = (sentAt: number): InstanceReport => ({
      instanceId: "other",
      startedAt: sentAt - 60_000,
      sentAt,
      subscriptions: 4,
      messagesPerSecond: 0,
      channels: [{ name: "home", members: 4, messagesPerSecond: 0 }],
    });
    await connect(["home"]);
    await events.notifyChannel(ADMIN_CHANNEL, INSTANCE_REPORT_SELECTOR, other(Date.now()));
    await nextReport();
    expect(dashboardView().totals).toMatchObject({ subscriptions: 5, instances: 2 });
    expect(dashboardView().channels[0]).toMatchObject({ name: "home", members: 5 });

    await vi.advanceTimersByTimeAsync(INSTANCE_TIMEOUT_MS);
    expect(dashboardView().totals).toMatchObject({ subscriptions: 1, instances: 1 });
    expect(monitor.snapshot().reports.map((r) => r.instanceId)).toEqual(["solo"]);
  });

  it("keeps ten minutes of history, one point per report", async () => {
    await connect(["home"]);
    for (let i = 0; i < 400; i++) await nextReport();
    const { history } = monitor.snapshot();
    expect(history.length).toBe((10 * 60_000) / REPORT_INTERVAL_MS);
    expect(history.at(-1)).toMatchObject({ at: Date.now(), openStreams: 1 });
    expect(history[0]!.at).toBeGreaterThan(Date.now() - 10 * 60_000);
  });

  it("reports a malformed report on its channel instead of trusting it", async () => {
    await events.notifyChannel(ADMIN_CHANNEL, INSTANCE_REPORT_SELECTOR, { instanceId: "" });
    await events.notifyChannelJson(ADMIN_CHANNEL, INSTANCE_REPORT_SELECTOR, "");
    expect(errors.splice(0)).toHaveLength(2);
    expect(dashboardView().totals.instances).toBe(1);
  });
});
