import { afterEach, describe, expect, it, vi } from "vitest";
import { connectSubscriber } from "@/lib/testing/subscriber";
import { MemoryServerEvents } from "./memory-server-events";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("MemoryServerEvents replay", () => {
  it("encodes a replayed message once, however many streams resume past it", async () => {
    const events = new MemoryServerEvents({ onError: () => undefined });
    await events.start();
    try {
      const first = await connectSubscriber(events, { channels: ["home"] });
      const cursor = first.connectFrame.id;
      await first.frames.cancel();
      for (let n = 0; n < 5; n++) await events.notifyChannel("home", "cmd.missed", { n });

      const encode = vi.spyOn(TextEncoder.prototype, "encode");
      const resumed = await Promise.all(
        [1, 2, 3].map(() => connectSubscriber(events, { channels: ["home"] }, cursor)),
      );
      for (const subscriber of resumed) {
        const missed = [];
        for (let n = 0; n < 5; n++)
          missed.push(await subscriber.frames.until((f) => f.selector === "cmd.missed"));
        expect(missed.map((f) => f.body)).toEqual([0, 1, 2, 3, 4].map((n) => ({ n })));
      }
      const encodedMissed = encode.mock.calls.filter(([text]) => text?.includes("cmd.missed"));
      expect(encodedMissed).toHaveLength(5);
    } finally {
      await events.stop();
    }
  });
});
