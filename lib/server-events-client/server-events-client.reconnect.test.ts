import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createHarness, flush } from "./testing/client-harness";
import { connectBody } from "./testing/fake-server";

beforeEach(() => {
  vi.useFakeTimers({ now: 1_700_000_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

const notFound = () =>
  new Response("", { status: 404, statusText: "Subscription 'sub1' does not exist" });

describe("ServerEventsClient: heartbeats", () => {
  it("POSTs heartbeatUrl as text/plain every heartbeatIntervalMs, each after the previous reply", async () => {
    const { server, connect } = createHarness({ headers: { Cookie: "c=1" } });
    await connect();
    await vi.advanceTimersByTimeAsync(9_999);
    expect(server.requestsTo("/event-heartbeat")).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    const [beat] = server.requestsTo("/event-heartbeat");
    expect(beat).toMatchObject({
      method: "POST",
      url: "http://h/event-heartbeat?id=sub1",
      body: undefined,
    });
    expect(beat?.headers).toMatchObject({ "Content-Type": "text/plain", Cookie: "c=1" });
    await vi.advanceTimersByTimeAsync(20_000);
    expect(server.requestsTo("/event-heartbeat")).toHaveLength(3);
  });

  it("lets onConnect change the interval before the timer starts", async () => {
    const { server, connect } = createHarness({
      handlers: { onConnect: (info) => void (info.heartbeatIntervalMs = 1000) },
    });
    await connect();
    await vi.advanceTimersByTimeAsync(3000);
    expect(server.requestsTo("/event-heartbeat")).toHaveLength(3);
  });

  it("uses the heartbeatIntervalMs option over the server's value", async () => {
    const { server, connect } = createHarness({ heartbeatIntervalMs: 2000 });
    await connect();
    await vi.advanceTimersByTimeAsync(4000);
    expect(server.requestsTo("/event-heartbeat")).toHaveLength(2);
  });

  it("delivers cmd.onHeartbeat replies to onHeartbeat", async () => {
    const onHeartbeat = vi.fn();
    const { server, connect } = createHarness({ handlers: { onHeartbeat } });
    await connect();
    server.stream.send(2, "cmd.onHeartbeat", { userId: "-1", displayName: "user1" });
    await flush();
    expect(onHeartbeat).toHaveBeenCalledWith(
      { userId: "-1", displayName: "user1" },
      expect.anything(),
    );
  });
});

describe("ServerEventsClient: reconnecting", () => {
  it("reconnects after a heartbeat 404 and sends Last-Event-ID", async () => {
    const onReconnect = vi.fn();
    const onConnect = vi.fn();
    const { server, client, errors, states, connect } = createHarness({
      onReconnect,
      handlers: { onConnect },
    });
    await connect();
    server.stream.send(2, "home@cmd.chat", { message: "m" });
    server.routes.set("/event-heartbeat", notFound);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(errors[0]).toMatchObject({ status: 404, code: "http" });
    expect(client.state).toBe("reconnecting");
    expect(server.streams[0]?.closed).toBe(true); // the old stream was aborted
    await vi.advanceTimersByTimeAsync(500); // first back-off step
    expect(server.streams).toHaveLength(2);
    expect(server.stream.request.headers["Last-Event-ID"]).toBe("2");
    expect(onReconnect).toHaveBeenCalledWith(errors[0]);
    server.routes.delete("/event-heartbeat");
    server.stream.send(1, "cmd.onConnect", connectBody("sub2"));
    await flush();
    expect(client.getSubscriptionId()).toBe("sub2");
    expect(onConnect).toHaveBeenCalledTimes(2);
    expect(states).toEqual(["connecting", "open", "reconnecting", "open"]);
  });

  it("reconnects when the server ends the stream", async () => {
    const { server, errors, connect } = createHarness();
    await connect();
    server.stream.send(5, "cmd.announce", "x");
    server.stream.end();
    await flush();
    expect(errors[0]).toMatchObject({ code: "stream-ended" });
    await vi.advanceTimersByTimeAsync(500);
    expect(server.streams).toHaveLength(2);
    expect(server.stream.request.headers["Last-Event-ID"]).toBe("5");
  });

  it("comes back after the server's retry: hint when it ends the stream on purpose", async () => {
    const { server, connect } = createHarness({ reconnect: { jitter: false } });
    await connect();
    server.stream.send(7, "cmd.announce", "x");
    server.stream.write("retry: 120\n\n");
    server.stream.end();
    await flush();
    await vi.advanceTimersByTimeAsync(119);
    expect(server.streams).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(server.streams).toHaveLength(2);
    expect(server.stream.request.headers["Last-Event-ID"]).toBe("7");
    // A failure after that backs off as usual: the hint was for that one end.
    server.stream.end();
    await flush();
    await vi.advanceTimersByTimeAsync(499);
    expect(server.streams).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(server.streams).toHaveLength(3);
  });

  it("reconnects when nothing arrives within idleTimeoutMs, heartbeat replies included", async () => {
    const { server, errors, connect } = createHarness({ heartbeatIntervalMs: 60_000 });
    await connect("sub1", { idleTimeoutMs: "30000" });
    await vi.advanceTimersByTimeAsync(20_000);
    server.stream.send(2, "cmd.onHeartbeat", {});
    await vi.advanceTimersByTimeAsync(29_999);
    expect(errors).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(errors[0]).toMatchObject({ code: "idle-timeout" });
    await vi.advanceTimersByTimeAsync(500);
    expect(server.streams).toHaveLength(2);
  });

  it("backs off exponentially up to maxDelayMs, and starts over once a stream lasts after onConnect", async () => {
    const { server, client } = createHarness({
      reconnect: { jitter: false, initialDelayMs: 500, maxDelayMs: 4000 },
    });
    server.streamStatuses.push(500, 502, 503, 500, 500, 500);
    client.start();
    await vi.advanceTimersByTimeAsync(15_500);
    const times = server.requestsTo("/event-stream").map((r) => r.at);
    const gaps = times.slice(1).map((t, i) => t - (times[i] ?? 0));
    expect(gaps).toEqual([500, 1000, 2000, 4000, 4000, 4000]);
    server.stream.send(1, "cmd.onConnect", connectBody());
    await vi.advanceTimersByTimeAsync(10_000);
    server.stream.end();
    await flush();
    await vi.advanceTimersByTimeAsync(499);
    expect(server.streams).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(server.streams).toHaveLength(2);
  });

  it("waits at least a refusal's Retry-After before trying again, then backs off as usual", async () => {
    const { server, client, errors } = createHarness({
      reconnect: { jitter: false, initialDelayMs: 500, maxDelayMs: 4000 },
    });
    server.streamStatuses.push(429, 503, 500);
    server.streamRetryAfter.push("3", "Wed, 21 Oct 2026 07:28:00 GMT");
    client.start();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(errors[0]).toMatchObject({ code: "http", status: 429, retryAfterMs: 3000 });
    expect(errors[1]).toMatchObject({ status: 503, retryAfterMs: undefined });
    const times = server.requestsTo("/event-stream").map((r) => r.at);
    expect(times.slice(1).map((t, i) => t - (times[i] ?? 0))).toEqual([3000, 1000, 2000]);
  });

  it("waits a random share of the ceiling with full jitter", async () => {
    const { server, client } = createHarness({ reconnect: { random: () => 0.5 } });
    server.streamStatuses.push(500, 500, 500);
    client.start();
    await vi.advanceTimersByTimeAsync(1750);
    const times = server.requestsTo("/event-stream").map((r) => r.at);
    expect(times.slice(1).map((t, i) => t - (times[i] ?? 0))).toEqual([250, 500, 1000]);
  });

  it("stops for good on 401 from the stream", async () => {
    const onStop = vi.fn();
    const { server, client, errors, states } = createHarness({ handlers: { onStop } });
    server.streamStatuses.push(401);
    client.start();
    await flush();
    expect(errors[0]).toMatchObject({ code: "unauthorized", status: 401 });
    expect(client.state).toBe("closed");
    expect(states).toEqual(["connecting", "closed"]);
    expect(onStop).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(server.requests).toHaveLength(1);
  });

  it("never rejects: a fetch that throws is reported and retried", async () => {
    const { client, errors } = createHarness({
      fetch: () => Promise.reject(new TypeError("fetch failed")),
    });
    client.start();
    await vi.advanceTimersByTimeAsync(2000);
    expect(errors.length).toBeGreaterThanOrEqual(2);
    expect(errors[0]).toMatchObject({ code: "network" });
    expect(client.state).toBe("reconnecting");
    await client.stop();
  });
});

describe("ServerEventsClient: stop", () => {
  it("aborts the stream, stops heartbeats and POSTs unRegisterUrl", async () => {
    const onStop = vi.fn();
    const { server, client, connect } = createHarness({ handlers: { onStop } });
    await connect();
    await client.stop();
    const [unregister] = server.requestsTo("/event-unregister");
    expect(unregister).toMatchObject({ method: "POST", url: "http://h/event-unregister?id=sub1" });
    expect(server.stream.closed).toBe(true);
    expect(client.state).toBe("closed");
    expect(client.hasConnected()).toBe(false);
    expect(onStop).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(server.requestsTo("/event-heartbeat")).toHaveLength(0);
    expect(server.requestsTo("/event-stream")).toHaveLength(1);
  });

  it("resolves even when unregister fails, reporting the error", async () => {
    const { server, client, errors, connect } = createHarness();
    await connect();
    server.routes.set("/event-unregister", () => Promise.reject(new TypeError("offline")));
    await expect(client.stop()).resolves.toBeUndefined();
    expect(errors[0]).toMatchObject({ code: "network" });
  });

  it("takes a 404 from unregister as done: the server already dropped the closed stream", async () => {
    const { server, client, errors, connect } = createHarness();
    await connect();
    server.routes.set("/event-unregister", () =>
      Promise.resolve(
        new Response(null, { status: 404, statusText: "Subscription 'sub1' does not exist" }),
      ),
    );
    await client.stop();
    expect(errors).toEqual([]);
  });

  it("can start again with a fresh subscription and no Last-Event-ID", async () => {
    const { server, client, connect } = createHarness();
    await connect();
    server.stream.send(9, "cmd.announce", "x");
    await flush();
    await client.stop();
    await connect("sub2");
    expect(server.stream.request.headers["Last-Event-ID"]).toBeUndefined();
    expect(client.getSubscriptionId()).toBe("sub2");
  });
});
