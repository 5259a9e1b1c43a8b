import { describe, expect, it } from "vitest";
import { INSTANCE_TIMEOUT_MS, instanceReportSchema, type InstanceReport } from "./admin-channel";
import { clusterView, forgetStopped, recordReport, type InstanceRegistry } from "./cluster-view";

const empty: InstanceRegistry = new Map();

function report(instanceId: string, fields: Partial<InstanceReport> = {}): InstanceReport {
  return {
    instanceId,
    startedAt: 1_000,
    sentAt: 10_000,
    subscriptions: 0,
    messagesPerSecond: 0,
    channels: [],
    ...fields,
  };
}

describe("clusterView", () => {
  it("adds up each instance's subscriptions and members, channel by channel", () => {
    let registry = recordReport(
      empty,
      report("a", {
        subscriptions: 3,
        channels: [
          { name: "home", members: 2, messagesPerSecond: 4 },
          { name: "lobby", members: 1, messagesPerSecond: 0 },
        ],
      }),
      10_000,
    );
    registry = recordReport(
      registry,
      report("b", {
        subscriptions: 2,
        channels: [{ name: "home", members: 2, messagesPerSecond: 4 }],
      }),
      10_000,
    );
    const view = clusterView(registry, 10_500);
    expect(view.totals).toMatchObject({ subscriptions: 5, channels: 2, instances: 2 });
    expect(view.channels).toEqual([
      { name: "home", members: 4, messagesPerSecond: 4 },
      { name: "lobby", members: 1, messagesPerSecond: 0 },
    ]);
    expect(view.instances.map((row) => [row.instanceId, row.subscriptions])).toEqual([
      ["a", 3],
      ["b", 2],
    ]);
  });

  it("does not count a message once per instance: every instance saw the whole traffic", () => {
    let registry = recordReport(empty, report("a", { messagesPerSecond: 12 }), 10_000);
    // b started a moment ago and has seen less of it.
    registry = recordReport(registry, report("b", { messagesPerSecond: 7 }), 10_000);
    expect(clusterView(registry, 10_000).totals.messagesPerSecond).toBe(12);
  });

  it("counts channels that have members, not channels that only carried traffic", () => {
    const registry = recordReport(
      empty,
      report("a", {
        channels: [
          { name: "busy", members: 0, messagesPerSecond: 9 },
          { name: "home", members: 1, messagesPerSecond: 0 },
        ],
      }),
      10_000,
    );
    const view = clusterView(registry, 10_000);
    expect(view.totals.channels).toBe(1);
    expect(view.channels.map((row) => row.name)).toEqual(["home", "busy"]);
  });

  it("says the channel count is a lower bound when an instance has more than it names", () => {
    const named = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ name: `c${i}`, members: 1, messagesPerSecond: 0 }));
    let registry = recordReport(
      empty,
      report("a", { channels: named(3), channelCount: 3 }),
      10_000,
    );
    expect(clusterView(registry, 10_000)).toMatchObject({
      totals: { channels: 3 },
      channelsAtLeast: false,
    });
    // b is in 250 channels and names its 200 busiest.
    registry = recordReport(
      registry,
      report("b", { channels: named(200), channelCount: 250 }),
      10_000,
    );
    expect(clusterView(registry, 10_000)).toMatchObject({
      totals: { channels: 250 },
      channelsAtLeast: true,
    });
  });

  it("drops an instance that stopped reporting, and brings it back when it reports again", () => {
    let registry = recordReport(empty, report("a", { subscriptions: 1 }), 10_000);
    registry = recordReport(registry, report("b", { subscriptions: 5 }), 10_000);
    registry = recordReport(registry, report("a", { subscriptions: 1, sentAt: 14_000 }), 14_000);
    const later = 10_000 + INSTANCE_TIMEOUT_MS + 1;
    expect(clusterView(registry, later).totals).toMatchObject({ subscriptions: 1, instances: 1 });
    expect(forgetStopped(registry, later).has("b")).toBe(false);
    registry = recordReport(registry, report("b", { subscriptions: 2, sentAt: later }), later);
    expect(clusterView(registry, later).totals).toMatchObject({ subscriptions: 3, instances: 2 });
  });

  it("keeps the newest report when an older one arrives late", () => {
    let registry = recordReport(empty, report("a", { sentAt: 20_000, subscriptions: 2 }), 20_000);
    const stale = recordReport(registry, report("a", { sentAt: 18_000, subscriptions: 9 }), 20_100);
    expect(stale).toBe(registry);
    registry = recordReport(registry, report("a", { sentAt: 22_000, subscriptions: 4 }), 22_000);
    expect(clusterView(registry, 22_000).totals.subscriptions).toBe(4);
  });
});

describe("instanceReportSchema", () => {
  it("refuses reports a page could not show: negative counts, endless channel lists", () => {
    expect(instanceReportSchema.safeParse(report("a", { subscriptions: -1 })).success).toBe(false);
    const many = Array.from({ length: 201 }, (_, i) => ({
      name: `c${i}`,
      members: 1,
      messagesPerSecond: 0,
    }));
    expect(instanceReportSchema.safeParse(report("a", { channels: many })).success).toBe(false);
    expect(instanceReportSchema.safeParse(report("a")).success).toBe(true);
  });
});
