import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createHarness, flush } from "./testing/client-harness";
import { connectBody } from "./testing/fake-server";

beforeEach(() => {
  vi.useFakeTimers({ now: 1_700_000_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

/** A `resolveStreamUrl` that throws while `failing` is true, and adds a token otherwise. */
function flakyResolver() {
  const state = { failing: true };
  const resolveStreamUrl = (url: string): string => {
    if (state.failing) throw new Error("no token yet");
    return `${url}&ss-tok=t`;
  };
  return { state, resolveStreamUrl };
}

describe("ServerEventsClient: a throwing resolveStreamUrl", () => {
  it("is reported from start() instead of thrown, and retried after the back-off", async () => {
    const { state, resolveStreamUrl } = flakyResolver();
    const { server, client, errors } = createHarness({ resolveStreamUrl });
    expect(() => client.start()).not.toThrow();
    expect(errors[0]).toMatchObject({ code: "handler", message: "resolveStreamUrl: no token yet" });
    expect(client.state).toBe("reconnecting");
    state.failing = false;
    await vi.advanceTimersByTimeAsync(500);
    expect(server.requestsTo("/event-stream")).toHaveLength(1);
    expect(server.stream.request.url).toContain("ss-tok=t");
  });

  it("on a reconnect is reported, backed off and retried rather than leaving the client stuck", async () => {
    const { state, resolveStreamUrl } = flakyResolver();
    state.failing = false;
    const { server, client, errors, connect } = createHarness({ resolveStreamUrl });
    await connect();
    state.failing = true;
    server.stream.end();
    await flush();
    // The first retry (after ≤500 ms) fails in resolveStreamUrl; the next waits twice as long.
    await vi.advanceTimersByTimeAsync(500);
    expect(errors.map((e) => (e as { code: string }).code)).toEqual(["stream-ended", "handler"]);
    expect(client.state).toBe("reconnecting");
    state.failing = false;
    await vi.advanceTimersByTimeAsync(999);
    expect(server.requestsTo("/event-stream")).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(server.requestsTo("/event-stream")).toHaveLength(2);
    await client.stop();
  });
});

describe("ServerEventsClient: a server that drops the stream after onConnect", () => {
  function setup() {
    const harness = createHarness({
      reconnect: { jitter: false, initialDelayMs: 500, maxDelayMs: 4000 },
    });
    const { server } = harness;
    /** Says onConnect, keeps the stream up for `upMs`, drops it: ms until the client is back. */
    async function connectThenDrop(upMs: number): Promise<number> {
      server.stream.send(1, "cmd.onConnect", connectBody());
      await vi.advanceTimersByTimeAsync(upMs);
      const streamsBefore = server.streams.length;
      const droppedAt = Date.now();
      server.stream.end();
      while (server.streams.length === streamsBefore) await vi.advanceTimersByTimeAsync(50);
      return Date.now() - droppedAt;
    }
    return { ...harness, connectThenDrop };
  }

  it("is backed off from like a failing one, not retried every 500 ms forever", async () => {
    const { client, connectThenDrop } = setup();
    client.start();
    await flush();
    const delays: number[] = [];
    for (let crash = 0; crash < 5; crash++) delays.push(await connectThenDrop(0));
    expect(delays).toEqual([500, 1000, 2000, 4000, 4000]);
    await client.stop();
  });

  it("starts the back-off over once a stream has stayed up for 10 s after onConnect", async () => {
    const { client, connectThenDrop } = setup();
    client.start();
    await flush();
    const delays = [await connectThenDrop(0), await connectThenDrop(0), await connectThenDrop(0)];
    delays.push(await connectThenDrop(9_999)); // not long enough: still a failing server
    delays.push(await connectThenDrop(10_000));
    expect(delays).toEqual([500, 1000, 2000, 4000, 500]);
    await client.stop();
  });
});
