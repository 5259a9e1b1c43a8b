import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createHarness, flush } from "./testing/client-harness";

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
