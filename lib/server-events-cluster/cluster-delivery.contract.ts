import { expect, it } from "vitest";
import { frameLabel, readUntil } from "@/lib/testing/subscriber";
import type { ClusterServerEvents } from "./cluster-server-events";
import type { ClusterTestContext } from "./cluster-test-context";

/** Messages published on any instance reach every instance: every notify family, observers, big bodies, id order. */
export function clusterDeliveryTests<E extends ClusterServerEvents>(
  context: ClusterTestContext<E>,
): void {
  const { startInstance, connect } = context;

  it("fans out every notify family to subscribers on every instance", async () => {
    const [a, b] = [await startInstance(), await startInstance()];
    const onA = await connect(a, { channels: ["room"], userId: "u1", userName: "ada" });
    const onB = await connect(b, { channels: ["room"], userId: "u2", sessionId: "s2" });
    await b.notifyChannel("room", "cmd.chat", { from: "b" });
    await a.notifyUserName("ada", "cmd.toAda", 1);
    await a.notifySession("s2", "cmd.toSession", 2);
    await b.notifySubscription(onA.id, "cmd.toSub", 3, "room");
    await a.notifyUserId("u2", "cmd.filteredOut", 4, "elsewhere");
    await b.notifyAll("cmd.marker", null);
    const seenA = (await readUntil(onA, "cmd.marker")).map(frameLabel);
    const seenB = (await readUntil(onB, "cmd.marker")).map(frameLabel);
    expect(seenA.filter((l) => !l.includes("onJoin"))).toEqual([
      "room@cmd.chat",
      "cmd.toAda",
      "cmd.toSub",
      "cmd.marker",
    ]);
    expect(seenB.filter((l) => !l.includes("onJoin"))).toEqual([
      "room@cmd.chat",
      "cmd.toSession",
      "cmd.marker",
    ]);
  });

  it("lets every instance observe the messages published on any instance", async () => {
    const [a, b] = [await startInstance(), await startInstance()];
    const seenOnA: string[] = [];
    a.observeMessages((message) => seenOnA.push(`${message.selector} ${message.json}`));
    // Nobody is subscribed anywhere: observers see traffic, not deliveries.
    await b.notifyChannel("room", "cmd.fromB", 1);
    await a.notifyChannel("room", "cmd.fromA", 2);
    await expect.poll(() => seenOnA).toEqual(["cmd.fromB 1", "cmd.fromA 2"]);
  });

  it("delivers a 1 MB message intact, stored and sent by reference", async () => {
    const [a, b] = [await startInstance(), await startInstance()];
    const onB = await connect(b, { channels: ["big"] });
    const text = "é".repeat(512 * 1024);
    await a.notifyChannel("big", "cmd.big", { text });
    const frame = await onB.frames.until((f) => f.selector === "cmd.big");
    expect((frame.body as { text: string }).text).toBe(text);
    expect((await a.getStats()).spilledPayloads).toBeGreaterThanOrEqual(1);
  });

  it("keeps ids in commit order under concurrent publishers", async () => {
    const [a, b] = [await startInstance(), await startInstance()];
    const onA = await connect(a, { channels: ["c"] });
    const sends = Array.from({ length: 60 }, (_, n) =>
      (n % 2 ? a : b).notifyChannel("c", "cmd.n", n),
    );
    await Promise.all(sends);
    await b.notifyChannel("c", "cmd.marker", null);
    const frames = (await readUntil(onA, "cmd.marker")).filter((f) => f.selector === "cmd.n");
    expect(frames.map((f) => f.body as number).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 60 }, (_, n) => n),
    );
    const ids = frames.map((f) => f.id);
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
  });
}
