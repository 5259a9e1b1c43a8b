import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createHarness, flush } from "./testing/client-harness";
import { connectBody } from "./testing/fake-server";
import type { ServerEventConnect, ServerEventMessage } from "./types";

beforeEach(() => {
  vi.useFakeTimers({ now: 1_700_000_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** A harness whose ignored frames are recorded as `selector: reason`. */
function harness(options: Parameters<typeof createHarness>[0] = {}) {
  const ignored: string[] = [];
  const onConnect = vi.fn<(info: ServerEventConnect) => void>();
  const h = createHarness({
    handlers: { onConnect },
    onIgnoredFrame: (reason: string, e: ServerEventMessage) =>
      ignored.push(`${e.channel ?? ""}@${e.selector}: ${reason}`),
    ...options,
  });
  return { ...h, ignored, onConnect };
}

const evilConnect = (id = "evil") =>
  connectBody(id, {
    heartbeatUrl: "https://evil.example/beat",
    unRegisterUrl: "https://evil.example/bye",
  });

describe("ServerEventsClient: forged system frames", () => {
  it("ignores a second cmd.onConnect on one stream", async () => {
    const { server, client, ignored, onConnect, connect } = harness();
    await connect("sub1");
    server.stream.send(2, "cmd.onConnect", evilConnect());
    await flush();
    expect(onConnect).toHaveBeenCalledTimes(1);
    expect(client.getSubscriptionId()).toBe("sub1");
    expect(ignored).toEqual(["@cmd.onConnect: a second cmd.onConnect on one stream"]);
    // Heartbeats still go to the server's URL, not the forged one.
    await vi.advanceTimersByTimeAsync(10_000);
    expect(server.requests.map((r) => new URL(r.url).host)).not.toContain("evil.example");
    expect(server.requestsTo("/event-heartbeat")).toHaveLength(1);
  });

  it("takes the first cmd.onConnect of each new stream after a reconnect", async () => {
    const { server, client, onConnect, connect } = harness();
    await connect("sub1");
    server.stream.end();
    await vi.advanceTimersByTimeAsync(500);
    expect(server.streams).toHaveLength(2);
    server.stream.send(1, "cmd.onConnect", connectBody("sub2"));
    await flush();
    expect(onConnect).toHaveBeenCalledTimes(2);
    expect(client.getSubscriptionId()).toBe("sub2");
  });

  it("ignores a channel-prefixed cmd.onConnect, even before the real one", async () => {
    const { server, client, ignored, onConnect } = harness();
    client.start();
    await flush();
    server.stream.send(1, "home@cmd.onConnect", evilConnect());
    await flush();
    expect(onConnect).not.toHaveBeenCalled();
    expect(client.state).toBe("connecting");
    expect(ignored).toEqual(["home@cmd.onConnect: cmd.onConnect is never sent to a channel"]);
    server.stream.send(2, "cmd.onConnect", connectBody("sub1"));
    await flush();
    expect(client.getSubscriptionId()).toBe("sub1");
  });

  it("ignores onHeartbeat with a channel prefix and presence without one", async () => {
    const onHeartbeat = vi.fn();
    const onJoin = vi.fn();
    const onMessage = vi.fn();
    const { server, ignored, connect } = harness({ handlers: { onHeartbeat, onJoin, onMessage } });
    await connect();
    server.stream.send(2, "home@cmd.onHeartbeat", { userId: "-9" });
    server.stream.send(3, "cmd.onJoin", { displayName: "ghost", channels: "home" });
    server.stream.send(4, "home@cmd.onJoin", { displayName: "user2", channels: "home" });
    await flush();
    expect(onHeartbeat).not.toHaveBeenCalled();
    expect(onMessage).not.toHaveBeenCalled();
    expect(onJoin).toHaveBeenCalledTimes(1);
    expect(onJoin).toHaveBeenCalledWith(expect.objectContaining({ displayName: "user2" }));
    expect(ignored).toHaveLength(2);
  });

  it("never calls a lifecycle hook for a frame named after it", async () => {
    const onMessage = vi.fn();
    const onCommand = vi.fn();
    const onStop = vi.fn();
    const { server, client, ignored, connect } = harness({
      handlers: { onMessage, onCommand, onStop },
    });
    await connect();
    const forged = { selector: "user1 joined", channel: null, json: "spoofed" };
    server.stream.send(2, "home@cmd.onMessage", forged);
    server.stream.send(3, "cmd.onCommand", forged);
    server.stream.send(4, "home@cmd.onStop", null);
    server.stream.send(5, "home@cmd.chat", "a real one");
    await flush();
    // The real message reaches onMessage, as itself; the forged ones reach no hook.
    expect(onMessage).toHaveBeenCalledTimes(1);
    expect(onMessage).toHaveBeenCalledWith(expect.objectContaining({ selector: "cmd.chat" }));
    expect(onCommand).not.toHaveBeenCalled();
    expect(onStop).not.toHaveBeenCalled();
    expect(client.state).toBe("open");
    expect(ignored).toEqual([
      "home@cmd.onMessage: cmd.onMessage names the client's own hook",
      "@cmd.onCommand: cmd.onCommand names the client's own hook",
      "home@cmd.onStop: cmd.onStop names the client's own hook",
    ]);
  });

  it("warns on the console by default, naming the frame", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const { server, connect } = createHarness();
    await connect();
    server.stream.send(2, "home@cmd.onConnect", evilConnect());
    await flush();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("ignored home@cmd.onConnect"));
  });
});

describe("ServerEventsClient: navigation", () => {
  it("follows window.location to its own origin only by default", async () => {
    const window = { location: "" };
    const { server, client, ignored, connect } = harness();
    client.registerNamedReceiver("window", window);
    await connect();
    server.stream.send(2, "home@window.location", "https://evil.example/x");
    server.stream.send(3, "home@window.location", "javascript:alert(1)");
    await flush();
    expect(window.location).toBe("");
    expect(ignored).toHaveLength(2);
    server.stream.send(4, "home@window.location", "/chat?channels=lobby");
    await flush();
    expect(window.location).toBe("/chat?channels=lobby");
  });

  it("follows the allowedLocationOrigins it is given", async () => {
    const window = { location: "" };
    const { server, client, connect } = harness({
      allowedLocationOrigins: ["https://docs.example"],
    });
    client.registerNamedReceiver("window", window);
    await connect();
    server.stream.send(2, "window.location", "https://docs.example/a");
    await flush();
    expect(window.location).toBe("https://docs.example/a");
  });
});
