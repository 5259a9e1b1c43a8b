import { beforeEach, expect, it } from "vitest";
import type { ContractContext } from "./contract-context";

/** Listing, heartbeats, idle expiry, sequences and reset. */
export function subscriptionsContract(context: ContractContext): void {
  const { start, connect } = context;
  let clock = 1_000_000;
  beforeEach(() => {
    clock = 1_000_000;
  });

  it("lists subscriptions and their public meta", async () => {
    const events = await start({ notifyChannelOfSubscriptions: false });
    const a = await connect(events, { userId: "u1", channels: ["a"], displayName: "A" });
    await connect(events, { userId: "u1", channels: ["b", "a"], displayName: "B" });
    await connect(events, { userId: "u2", channels: ["c"], displayName: "C" });
    const info = await events.getSubscriptionInfo(a.id);
    expect(info).toMatchObject({ id: a.id, userId: "u1", channels: ["a"], displayName: "A" });
    expect(
      (await events.getSubscriptionInfosByUserId("u1")).map((s) => s.displayName).sort(),
    ).toEqual(["A", "B"]);
    expect((await events.getAllSubscriptionInfos()).length).toBe(3);
    const details = await events.getSubscriptionsDetails(["b", "a"]);
    expect(details.map((meta) => meta.displayName)).toEqual(["B", "A"]);
    expect(details[0]).not.toHaveProperty("id");
    // ServiceStack's `params string[]`: the channels as arguments port unchanged.
    expect(await events.getSubscriptionsDetails("b", "a")).toEqual(details);
    const all = await events.getAllSubscriptionsDetails();
    expect(all.map((meta) => meta.displayName).sort()).toEqual(["A", "B", "C"]);
    expect(await events.getSubscriptionInfo("nope")).toBeNull();
  });

  it("answers a heartbeat with cmd.onHeartbeat, and false for an unknown id", async () => {
    const events = await start({ notifyChannelOfSubscriptions: false });
    const client = await connect(events, { displayName: "beat" });
    expect(await events.pulse(client.id)).toBe(true);
    const beat = await client.frames.until((f) => f.selector === "cmd.onHeartbeat");
    expect(beat).toMatchObject({ channel: undefined, body: { displayName: "beat" } });
    expect(await events.pulse("unknown")).toBe(false);
  });

  it("expires idle subscriptions: onLeave to the members, stream ended", async () => {
    const events = await start({ idleTimeoutMs: 30_000, now: () => clock });
    const idle = await connect(events, { channels: ["a"], displayName: "idle" });
    clock += 20_000;
    const fresh = await connect(events, { channels: ["a"], displayName: "fresh" });
    // Its onJoin reaches idle first: a late delivery would find idle expired and drop it.
    await idle.frames.until((f) => f.selector === "cmd.onJoin" && f.json.includes("fresh"));
    clock += 15_000;
    expect(await events.removeExpiredSubscriptions()).toBe(1);
    const leave = await fresh.frames.until((f) => f.selector === "cmd.onLeave");
    expect(leave.body).toMatchObject({ displayName: "idle" });
    expect(await idle.frames.ended()).toBe(true);
    expect(await events.getSubscriptionInfo(idle.id)).toBeNull();
    expect(await events.getSubscriptionInfo(fresh.id)).not.toBeNull();
  });

  it("keeps a subscription alive while it sends heartbeats", async () => {
    const events = await start({ idleTimeoutMs: 30_000, now: () => clock });
    const client = await connect(events);
    clock += 20_000;
    expect(await events.pulse(client.id)).toBe(true);
    clock += 20_000;
    await events.removeExpiredSubscriptions();
    expect(await events.getSubscriptionInfo(client.id)).not.toBeNull();
  });

  it("hands out increasing sequence numbers per name", async () => {
    const events = await start();
    const first = await events.getNextSequence("contract");
    expect(await events.getNextSequence("contract")).toBe(first + 1);
    expect(await events.getNextSequence("contract-other")).toBeGreaterThan(0);
  });

  it("reset forgets every subscription without ending streams", async () => {
    const events = await start({ notifyChannelOfSubscriptions: false });
    const client = await connect(events);
    await events.reset();
    expect(await events.getAllSubscriptionInfos()).toEqual([]);
    expect(await events.pulse(client.id)).toBe(false);
    expect(client.sub.isClosed).toBe(false);
  });
}
