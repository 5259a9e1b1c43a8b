import { expect, it } from "vitest";
import { frameLabel, readUntil } from "@/lib/testing/subscriber";
import type { ClusterServerEvents } from "./cluster-server-events";
import type { ClusterTestContext } from "./cluster-test-context";

/** Resuming from Last-Event-ID on any instance, within the shared replay window and its limits. */
export function clusterReplayTests<E extends ClusterServerEvents>(
  context: ClusterTestContext<E>,
): void {
  const { startInstance, connect } = context;

  it("replays from Last-Event-ID on another instance", async () => {
    const [a, b] = [await startInstance(), await startInstance()];
    const first = await connect(a, { channels: ["r"] });
    await a.notifyChannel("r", "cmd.one", 1);
    const one = await first.frames.until((f) => f.selector === "cmd.one");
    await first.frames.cancel();
    await a.notifyChannel("r", "cmd.two", 2);
    await a.notifyChannel("r", "cmd.three", 3);
    const resumed = await connect(b, { channels: ["r"] }, one.id);
    expect(resumed.connectFrame.body).toMatchObject({ recovered: "true" });
    await b.notifyChannel("r", "cmd.live", 4);
    const labels = (await readUntil(resumed, "cmd.live")).map(frameLabel);
    expect(labels.filter((l) => !l.includes("cmd.on"))).toEqual([
      "r@cmd.two",
      "r@cmd.three",
      "r@cmd.live",
    ]);
  });

  it("never lets presence frames push a real message out of the replay window", async () => {
    const a = await startInstance({ replayMaxMessages: 3 });
    const first = await connect(a, { channels: ["r"] });
    await a.notifyChannel("r", "cmd.one", 1);
    const one = await first.frames.until((f) => f.selector === "cmd.one");
    await first.frames.cancel();
    await a.notifyChannel("r", "cmd.two", 2);
    for (let i = 0; i < 20; i++) await a.notifyChannel("r", "cmd.onUpdate", { i });
    await a.removeExpiredSubscriptions();
    const resumed = await connect(a, { channels: ["r"] }, one.id);
    expect(resumed.connectFrame.body).toMatchObject({ recovered: "true" });
    await a.notifyChannel("r", "cmd.live", 3);
    const labels = (await readUntil(resumed, "cmd.live")).map(frameLabel);
    expect(labels.filter((l) => !l.includes("cmd.on"))).toEqual(["r@cmd.two", "r@cmd.live"]);
  });

  it("keeps a quiet channel's resume complete while a flood in another fills the window", async () => {
    const window = { replayMaxMessages: 5 };
    const [a, b] = [await startInstance(window), await startInstance(window)];
    const quiet = await connect(a, { channels: ["quiet"] });
    const loud = await connect(a, { channels: ["loud"] });
    await a.notifyChannel("quiet", "cmd.one", 1);
    await a.notifyChannel("loud", "cmd.first", 0);
    const one = await quiet.frames.until((f) => f.selector === "cmd.one");
    const first = await loud.frames.until((f) => f.selector === "cmd.first");
    await Promise.all([quiet.frames.cancel(), loud.frames.cancel()]);
    for (let i = 0; i < 20; i++) await b.notifyChannel("loud", "cmd.flood", i);
    await a.notifyChannel("quiet", "cmd.two", 2);
    await a.removeExpiredSubscriptions(); // a prune pass
    // Everything quiet sent after the cursor is still here: nothing of its own was lost.
    const resumed = await connect(b, { channels: ["quiet"] }, one.id);
    expect(resumed.connectFrame.body).toMatchObject({ recovered: "true" });
    await a.notifyChannel("quiet", "cmd.live", 3);
    const labels = (await readUntil(resumed, "cmd.live")).map(frameLabel);
    expect(labels.filter((l) => !l.includes("cmd.on"))).toEqual([
      "quiet@cmd.two",
      "quiet@cmd.live",
    ]);
    // The flooded channel's members did lose messages, and are told so.
    const flooded = await connect(b, { channels: ["loud"] }, first.id);
    expect(flooded.connectFrame.body).toMatchObject({ recovered: "false" });
  });

  it("replays at most replayMaxBytes of bodies, and says when it stopped short", async () => {
    const budget = { replayMaxBytes: 250_000, houseKeepingIntervalMs: 60_000 };
    const [a, b] = [await startInstance(budget), await startInstance(budget)];
    const watcher = await connect(b, { channels: ["big"] });
    const first = await connect(a, { channels: ["big"] });
    await a.notifyChannel("big", "cmd.small", 0);
    const small = await first.frames.until((f) => f.selector === "cmd.small");
    await first.frames.cancel();
    const body = "x".repeat(100_000);
    for (let n = 1; n <= 5; n++) await a.notifyChannel("big", "cmd.big", body);
    await a.notifyChannel("big", "cmd.marker", null);
    const bigIds = (await readUntil(watcher, "cmd.marker"))
      .filter((f) => f.selector === "cmd.big")
      .map((f) => f.id);
    expect(bigIds).toHaveLength(5);
    // 500 KB missed against a 250 KB budget: what fits comes, and the client learns it lost some.
    const resumed = await connect(b, { channels: ["big"] }, small.id);
    expect(resumed.connectFrame.body).toMatchObject({ recovered: "false" });
    await a.notifyChannel("big", "cmd.live", null);
    const replayed = await readUntil(resumed, "cmd.live");
    expect(replayed.filter((f) => f.selector === "cmd.big").length).toBeLessThanOrEqual(2);
    // Within the budget (the last two), nothing is lost.
    const recent = await connect(b, { channels: ["big"] }, bigIds[2]);
    expect(recent.connectFrame.body).toMatchObject({ recovered: "true" });
    const again = await readUntil(recent, "cmd.marker");
    expect(again.filter((f) => f.selector === "cmd.big").map((f) => f.id)).toEqual(bigIds.slice(3));
  });
}
