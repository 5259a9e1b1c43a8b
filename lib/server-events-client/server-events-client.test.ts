import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ServerEventsClient } from "./server-events-client";
import { createHarness, flush } from "./testing/client-harness";
import type { ServerEventConnect, ServerEventMessage } from "./types";

beforeEach(() => {
  vi.useFakeTimers({ now: 1_700_000_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

interface ChatMessage {
  message: string;
  fromName: string;
}

describe("ServerEventsClient: connecting", () => {
  it("GETs /event-stream with the channels, SSE headers, credentials and extra headers", async () => {
    const { server, client } = createHarness({ headers: { Cookie: "ss-id=abc" } }, ["A", "B"]);
    client.start();
    await flush();
    const [request] = server.requests;
    expect(request?.url).toBe("http://h/event-stream?channels=A,B&t=1700000000000");
    expect(request?.headers).toMatchObject({ Accept: "text/event-stream", Cookie: "ss-id=abc" });
    expect(request?.headers["Last-Event-ID"]).toBeUndefined();
    expect(request?.credentials).toBe("include");
    expect(client.eventStreamUri.split("&")[0]).toBe("http://h/event-stream?channels=A,B");
  });

  it("uses same-origin credentials when withCredentials is false", async () => {
    const { server, client } = createHarness({ withCredentials: false });
    client.start();
    await flush();
    expect(server.requests[0]?.credentials).toBe("same-origin");
  });

  it("opens the stream at eventStreamPath when the server moved it", async () => {
    const { server, client } = createHarness({ eventStreamPath: "/sse" });
    client.start();
    await flush();
    expect(server.requests[0]?.url).toMatch(/\/sse\?channels=/);
    client.updateChannels(["other"]);
    expect(client.eventStreamUri).toMatch(/\/sse\?channels=other&/);
  });

  it("passes the URL through resolveStreamUrl", async () => {
    const { server, client } = createHarness({ resolveStreamUrl: (url) => `${url}&ss-tok=T` });
    client.start();
    await flush();
    expect(server.requests[0]?.url).toMatch(/&ss-tok=T$/);
  });

  it("resumes from the lastEventId option on the first start only", async () => {
    const { server, client, connect } = createHarness({ lastEventId: "41" });
    await connect();
    expect(server.stream.request.headers["Last-Event-ID"]).toBe("41");
    await client.stop();
    await connect("sub2");
    expect(server.stream.request.headers["Last-Event-ID"]).toBeUndefined();
  });

  it("calls onConnect with numeric intervals and exposes the connection info", async () => {
    const onConnect = vi.fn<(info: ServerEventConnect) => void>();
    const { client, states, connect } = createHarness({ handlers: { onConnect } });
    expect(client.state).toBe("closed");
    await connect("sub1", { channels: "home,news" });
    const info = onConnect.mock.calls[0]?.[0];
    expect(info).toMatchObject({
      id: "sub1",
      heartbeatIntervalMs: 10000,
      idleTimeoutMs: 30000,
      displayName: "user1",
    });
    expect(client.getSubscriptionId()).toBe("sub1");
    expect(client.channels).toEqual(["home", "news"]);
    expect(states).toEqual(["connecting", "open"]);
    expect(client.readyState).toBe(1);
  });

  it("throws from getConnectionInfo before connecting", () => {
    const { client } = createHarness();
    expect(() => client.getConnectionInfo()).toThrow("Not Connected");
    expect(() => new ServerEventsClient("http://h", [])).toThrow();
  });
});

describe("ServerEventsClient: messages", () => {
  it("delivers typed handler bodies, joins and onMessage", async () => {
    const chats: [ChatMessage, ServerEventMessage][] = [];
    const joins: string[] = [];
    const messages: string[] = [];
    const { server, connect } = createHarness({
      handlers: {
        chat: (msg: ChatMessage, e: ServerEventMessage) => chats.push([msg, e]),
        onJoin: (e) => joins.push(`${e.channel}:${e.displayName}`),
        onMessage: (e) => messages.push(e.selector),
      },
    });
    await connect();
    server.stream.send(2, "home@cmd.onJoin", { displayName: "user1", channels: "home" });
    server.stream.send(3, "home@cmd.chat", { message: "hi", fromName: "user2" });
    await flush();
    expect(joins).toEqual(["home:user1"]);
    expect(chats).toHaveLength(1);
    expect(chats[0]?.[0]).toEqual({ message: "hi", fromName: "user2" });
    expect(chats[0]?.[1]).toMatchObject({ eventId: 3, channel: "home", selector: "cmd.chat" });
    expect(messages).toEqual(["cmd.chat"]);
  });

  it("reassembles frames split across chunks, including a split UTF-8 character", async () => {
    const announce = vi.fn();
    const { server, connect } = createHarness({ handlers: { announce } });
    await connect();
    const bytes = new TextEncoder().encode('id: 2\ndata: cmd.announce "héllo"\n\n');
    const cut = bytes.indexOf(0xc3) + 1; // inside the two-byte é
    server.stream.writeBytes(bytes.slice(0, cut));
    await flush();
    expect(announce).not.toHaveBeenCalled();
    server.stream.writeBytes(bytes.slice(cut));
    await flush();
    expect(announce).toHaveBeenCalledWith("héllo", expect.objectContaining({ eventId: 2 }));
  });

  it("calls every trigger listener; one that throws goes to onException", async () => {
    const { server, client, errors, connect } = createHarness();
    const seen: unknown[] = [];
    const bad = () => {
      throw new Error("listener failed");
    };
    const good = (e: ServerEventMessage) => seen.push(e.body);
    client.addListener("customEvent", bad).addListener("customEvent", good);
    await connect();
    server.stream.send(2, "trigger.customEvent", "arg");
    await flush();
    client.removeListener("customEvent", bad);
    server.stream.send(3, "trigger.customEvent", "arg2");
    await flush();
    expect(seen).toEqual(["arg", "arg2"]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: "handler" });
    expect((errors[0] as Error).message).toContain("listener failed");
  });

  it("keeps reading after a handler throws or a frame is malformed", async () => {
    const chat = vi.fn(() => {
      throw new Error("boom");
    });
    const announce = vi.fn();
    const { server, errors, connect } = createHarness({ handlers: { chat, announce } });
    await connect();
    server.stream.send(2, "cmd.chat", {});
    server.stream.write("id: 3\ndata: garbage\n\n");
    server.stream.send(4, "cmd.announce", "still here");
    await flush();
    expect(announce).toHaveBeenCalledWith("still here", expect.anything());
    expect(errors.map((e) => (e as { code: string }).code)).toEqual(["handler", "invalid-frame"]);
  });

  it("dispatches to registered global and named receivers", async () => {
    const { server, client, connect } = createHarness();
    const global = { CustomType: vi.fn() };
    const named = { fooMethod: vi.fn(), noSuchMethod: vi.fn() };
    client.registerReceiver(global).registerNamedReceiver("test", named);
    await connect();
    server.stream.send(2, "cmd.CustomType", { id: 1 });
    server.stream.send(3, "test.fooMethod", { id: 2 });
    server.stream.send(4, "test.BazMethod", { id: 3 });
    await flush();
    expect(global.CustomType).toHaveBeenCalledTimes(1);
    expect(named.fooMethod).toHaveBeenCalledWith({ id: 2 }, expect.anything());
    expect(named.noSuchMethod).toHaveBeenCalledWith("BazMethod", expect.anything());
  });
});

describe("ServerEventsClient: channels and subscribers", () => {
  it("POSTs UpdateEventSubscriber and updates channels and the stream URL", async () => {
    const { server, client, connect } = createHarness({}, ["A"]);
    await connect("sub1", { channels: "A" });
    await client.subscribeToChannels("B", "C");
    const update = server.requestsTo("/api/UpdateEventSubscriber")[0];
    expect(update?.method).toBe("POST");
    expect(update?.headers["Content-Type"]).toBe("application/json");
    expect(JSON.parse(update?.body ?? "")).toEqual({ id: "sub1", subscribeChannels: ["B", "C"] });
    expect(client.channels).toEqual(["A", "B", "C"]);
    await client.unsubscribeFromChannels("B");
    expect(client.channels).toEqual(["A", "C"]);
    expect(client.eventStreamUri.split("&")[0]).toBe("http://h/event-stream?channels=A,C");
  });

  it("reports a failed update and keeps the channels", async () => {
    const { server, client, errors, connect } = createHarness({}, ["A"]);
    await connect("sub1", { channels: "A" });
    server.routes.set(
      "/api/UpdateEventSubscriber",
      () => new Response("", { status: 403, statusText: "Forbidden" }),
    );
    await client.updateSubscriber({ subscribeChannels: ["B"], unsubscribeChannels: ["A"] });
    expect(client.channels).toEqual(["A"]);
    expect(errors[0]).toMatchObject({ status: 403 });
  });

  it("reports instead of throwing when updating before connecting", async () => {
    const { client, errors } = createHarness();
    await expect(client.subscribeToChannels("B")).resolves.toBeUndefined();
    expect(errors).toHaveLength(1);
  });

  it("lists channel subscribers as ServerEventUsers", async () => {
    const { server, client } = createHarness({}, ["A", "B"]);
    const meta = {
      userId: "-2",
      displayName: "user2",
      profileUrl: "p",
      channels: "A,B",
      isAuthenticated: "false",
    };
    server.routes.set("/api/GetEventSubscribers", () => Response.json([meta]));
    const users = await client.getChannelSubscribers();
    expect(server.requestsTo("/api/GetEventSubscribers")[0]?.url).toBe(
      "http://h/api/GetEventSubscribers?channels=A,B",
    );
    expect(users).toEqual([
      {
        userId: "-2",
        displayName: "user2",
        profileUrl: "p",
        channels: ["A", "B"],
        meta: { isAuthenticated: "false" },
      },
    ]);
  });

  it("returns [] and reports when listing fails", async () => {
    const { server, client, errors } = createHarness();
    server.routes.set("/api/GetEventSubscribers", () => new Response("oops", { status: 500 }));
    await expect(client.getChannelSubscribers()).resolves.toEqual([]);
    expect(errors).toHaveLength(1);
  });
});
