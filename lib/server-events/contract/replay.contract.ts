import { expect, it, vi } from "vitest";
import { frameLabel as label, readUntil } from "@/lib/testing/subscriber";
import type { ContractContext } from "./contract-context";

/** Resuming from Last-Event-ID: exactly what was missed, or an honest recovered=false. */
export function replayContract(context: ContractContext): void {
  const { start, connect } = context;

  it("replays what was missed, addressed to the subscription, then goes live", async () => {
    const events = await start({ notifyChannelOfSubscriptions: false });
    const first = await connect(events, { channels: ["a"], userId: "u1" });
    await events.notifyChannel("a", "cmd.one", 1);
    const one = await first.frames.until((f) => f.selector === "cmd.one");
    await first.frames.cancel();
    await events.notifyChannel("a", "cmd.two", 2);
    await events.notifyChannel("elsewhere", "cmd.notForMe", 0);
    await events.notifyUserId("u1", "cmd.three", 3);

    const resumed = await connect(events, { channels: ["a"], userId: "u1" }, one.id);
    expect(resumed.connectFrame.body).toMatchObject({ recovered: "true" });
    await events.notifyChannel("a", "cmd.live", 4);
    const frames = await readUntil(resumed, "cmd.live");
    expect(frames.map(label)).toEqual(["a@cmd.two", "cmd.three", "a@cmd.live"]);
    const ids = frames.map((f) => f.id);
    expect([...ids].sort((x, y) => x - y)).toEqual(ids);
  });

  it("says recovered=false for a Last-Event-ID it cannot vouch for", async () => {
    const events = await start();
    const client = await connect(events, {}, Number.MAX_SAFE_INTEGER - 1);
    expect(client.connectFrame.body).toMatchObject({ recovered: "false" });
  });

  it("encodes a replayed message once, however many streams resume past it", async () => {
    const events = await start({ notifyChannelOfSubscriptions: false });
    const first = await connect(events, { channels: ["home"] });
    const cursor = first.connectFrame.id;
    await first.frames.cancel();
    for (let n = 0; n < 5; n++) await events.notifyChannel("home", "cmd.missed", { n });

    const encode = vi.spyOn(TextEncoder.prototype, "encode");
    try {
      // Streams that resume from far back and stop reading share the replay's bytes.
      const resumed = await Promise.all(
        [1, 2, 3].map(() => connect(events, { channels: ["home"] }, cursor)),
      );
      for (const subscriber of resumed) {
        const missed = [];
        for (let n = 0; n < 5; n++)
          missed.push(await subscriber.frames.until((f) => f.selector === "cmd.missed"));
        expect(missed.map((f) => f.body)).toEqual([0, 1, 2, 3, 4].map((n) => ({ n })));
      }
      const framesEncoded = encode.mock.calls.filter(
        ([text]) => text?.startsWith("id:") && text.includes("cmd.missed"),
      );
      expect(framesEncoded).toHaveLength(5);
    } finally {
      encode.mockRestore();
    }
  });
}
