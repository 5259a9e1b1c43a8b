import { expect, it } from "vitest";
import { frameLabel as label, readUntil } from "@/lib/testing/subscriber";
import type { ContractContext } from "./contract-context";

/** onJoin, onLeave and onUpdate go to the right members, and channel changes are taken whole or not at all. */
export function presenceContract(context: ContractContext): void {
  const { start, connect } = context;

  it("sends onJoin for each channel in order, to the joiner and to members", async () => {
    const events = await start();
    const member = await connect(events, { channels: ["b"] });
    await member.frames.until((f) => f.selector === "cmd.onJoin");
    const joiner = await connect(events, { channels: ["a", "b"], displayName: "joiner" });
    const joins = [await joiner.frames.next(), await joiner.frames.next()];
    expect(joins.map(label)).toEqual(["a@cmd.onJoin", "b@cmd.onJoin"]);
    const seen = await member.frames.until((f) => f.selector === "cmd.onJoin");
    expect(seen).toMatchObject({ channel: "b", body: { displayName: "joiner" } });
    expect(Object.values(seen.body as object).every((v) => typeof v === "string")).toBe(true);
  });

  it("sends onLeave to the members but not to the leaver, and ends its stream", async () => {
    const events = await start();
    const stayer = await connect(events, { channels: ["a"] });
    const leaver = await connect(events, { channels: ["a"], displayName: "leaver" });
    await leaver.frames.next();
    await stayer.frames.until(
      (f) =>
        f.body !== null &&
        f.selector === "cmd.onJoin" &&
        (f.body as { displayName: string }).displayName === "leaver",
    );
    const info = await events.unRegister(leaver.id);
    expect(info).toMatchObject({ id: leaver.id, displayName: "leaver" });
    const leave = await stayer.frames.until((f) => f.selector === "cmd.onLeave");
    expect(leave).toMatchObject({ channel: "a", body: { displayName: "leaver" } });
    expect(await leaver.frames.ended()).toBe(true);
    expect(leaver.frames.seen.map(label)).not.toContain("a@cmd.onLeave");
    expect(await events.getSubscriptionInfo(leaver.id)).toBeNull();
    expect(await events.unRegister(leaver.id)).toBeNull();
  });

  it("sends onUpdate to the old and the new channels' members on a channel change", async () => {
    const events = await start();
    const inA = await connect(events, { channels: ["a"] });
    const inC = await connect(events, { channels: ["c"] });
    const mover = await connect(events, { channels: ["a", "b"], displayName: "mover" });
    await events.unsubscribeFromChannels(mover.id, ["a"]);
    await events.subscribeToChannels(mover.id, ["c"]);
    const update = await inA.frames.until((f) => f.selector === "cmd.onUpdate");
    expect(update).toMatchObject({ channel: "a", body: { channels: "b" } });
    const joined = await inC.frames.until((f) => f.selector === "cmd.onUpdate");
    expect(joined).toMatchObject({ channel: "c", body: { channels: "b,c" } });
    await expect
      .poll(() => events.getSubscriptionInfo(mover.id))
      .toMatchObject({
        channels: ["b", "c"],
      });
    await events.notifyChannel("a", "cmd.afterMove", null);
    await events.notifyAll("cmd.marker", null);
    expect((await readUntil(mover, "cmd.marker")).map(label)).not.toContain("a@cmd.afterMove");
  });

  it("takes a change of both kinds whole, or refuses it whole", async () => {
    const events = await start();
    const full = Array.from({ length: 100 }, (_, i) => `room-${i}`);
    const mover = await connect(events, { channels: full });
    await events.changeChannels(mover.id, { unsubscribe: ["room-0"], subscribe: ["new"] });
    await expect
      .poll(async () => (await events.getSubscriptionInfo(mover.id))?.channels)
      .toContain("new");
    const overfull = events.changeChannels(mover.id, {
      unsubscribe: ["room-1"],
      subscribe: ["x", "y"],
    });
    await expect(overfull).rejects.toMatchObject({ status: 400 });
    const channels = (await events.getSubscriptionInfo(mover.id))?.channels;
    expect(channels).toHaveLength(100);
    expect(channels).toContain("room-1");
  });
}
