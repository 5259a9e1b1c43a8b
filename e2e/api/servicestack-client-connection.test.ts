/**
 * ServiceStack's `test/serverevents.spec.ts` (docs/protocol.md, "Client compatibility"), its
 * connection behaviours: connecting, the onJoin and other callbacks, chat between two clients,
 * heartbeats, reconnecting after a reset, and error reporting.
 * Run against a real `next start`, with the official `@servicestack/client` ServerEventsClient
 * (over the `eventsource` polyfill) and with our own client (lib/server-events-client).
 */
import { describe, expect, it } from "vitest";
import { clientKinds } from "./support/clients";
import { errorTexts } from "./support/recorder";
import {
  chatsOf,
  clientPoolFixture,
  servicestackServerFixture,
} from "./support/servicestack-client-fixture";
import type { ChatMessage } from "./support/services";
import { waitFor, waitForCount } from "./support/wait";

const server = servicestackServerFixture();

describe.each(clientKinds)("ServerEventsClient: $name", (kind) => {
  const { pool, open } = clientPoolFixture(kind, server);

  it("Can connect to ServerEventsStream", async () => {
    const client1 = open();
    const info = await client1.connected();
    expect(info.id).toMatch(/^[\w-]{20,}$/u);
    expect(client1.client.hasConnected()).toBe(true);
    await pool.stopAll();
  });

  it("Does fire onJoin events", async () => {
    const client1 = open();
    const info = await client1.connected();
    expect(info.heartbeatUrl.startsWith(server().baseUrl)).toBe(true);
    expect(info.unRegisterUrl.startsWith(server().baseUrl)).toBe(true);
    await waitForCount(() => client1.commands.length, 1, "own join");
    expect(client1.commands[0]!.type).toBe("ServerEventJoin");
    expect(client1.commands[0]!.displayName).toBe(client1.info().displayName);
    await pool.stopAll();
  });

  it("Does fire all callbacks", async () => {
    const client1 = open();
    await client1.connected();
    await waitForCount(() => client1.commands.length, 1, "own join");
    expect(client1.connects).toHaveLength(1);
    expect(client1.commands).toHaveLength(1);
    expect(client1.commands[0]!.type).toBe("ServerEventJoin");
    expect(client1.messages).toHaveLength(0);
    expect(errorTexts(client1)).toEqual([]);

    const client2 = open();
    const info2 = await client2.connected();
    await waitForCount(() => client1.commands.length, 2, "client2's join");
    expect(client1.commands[1]!.type).toBe("ServerEventJoin");
    expect(client1.commands[1]!.displayName).toBe(info2.displayName);

    await client2.client.stop();
    await waitForCount(() => client1.commands.length, 3, "client2's leave");
    expect(client1.commands[2]!.type).toBe("ServerEventLeave");
    expect(client1.commands[2]!.displayName).toBe(info2.displayName);
    expect(errorTexts(client1)).toEqual([]);
    expect(errorTexts(client2)).toEqual([]);
    await pool.stopAll();
  });

  it("Does receive messages", async () => {
    const client1 = open();
    const client2 = open();
    const [info1, info2] = await Promise.all([client1.connected(), client2.connected()]);
    const { services } = server();

    await services.postChat(info1.id, "msg1 from client1");
    await waitForCount(() => chatsOf(client1).length, 1, "client1 gets msg1");
    await waitForCount(() => chatsOf(client2).length, 1, "client2 gets msg1");
    for (const client of [client1, client2]) {
      const [msg] = client.messages;
      expect(msg!.eventId).toBeGreaterThan(0);
      expect(msg!.selector).toBe("cmd.chat");
      const chat = msg!.body as ChatMessage;
      expect(chat.id).toBeGreaterThan(0);
      expect(chat.fromUserId).toBe(info1.userId);
      expect(chat.fromName).toBe(info1.displayName);
      expect(chat.message).toBe("msg1 from client1");
      expect(client.messages).toHaveLength(1);
    }

    await services.postChat(info2.id, "msg2 from client2");
    await waitForCount(() => chatsOf(client1).length, 2, "client1 gets msg2");
    await waitForCount(() => chatsOf(client2).length, 2, "client2 gets msg2");
    for (const client of [client1, client2]) {
      const chat = client.messages[1]!.body as ChatMessage;
      expect(chat.fromUserId).toBe(info2.userId);
      expect(chat.fromName).toBe(info2.displayName);
      expect(chat.message).toBe("msg2 from client2");
      expect(client.messages).toHaveLength(2);
      expect(client.messages[1]!.eventId).toBeGreaterThan(client.messages[0]!.eventId);
    }
    expect(errorTexts(client1)).toEqual([]);
    expect(errorTexts(client2)).toEqual([]);
    await pool.stopAll();
  });

  it("Does send multiple heartbeats", async () => {
    const client1 = open({ heartbeatIntervalMs: 1000 });
    await client1.connected();
    await waitForCount(() => client1.heartbeats.length, 3, "3 heartbeats", 10_000);
    expect(client1.heartbeats[0]!.displayName).toBe(client1.info().displayName);
    expect(errorTexts(client1)).toEqual([]);
    await pool.stopAll();
  });

  it("Does reconnect on lost connection", async () => {
    const { services } = server();
    const client1 = open({ heartbeatIntervalMs: 1000 });
    const info1 = await client1.connected();
    await services.postChat(info1.id, "msg1 from client1");
    await waitForCount(() => chatsOf(client1).length, 1, "msg1");

    // The official test posts ResetServerEvents anonymously; ours is operator-only.
    await services.reset();

    const client2 = open();
    const info2 = await client2.connected();
    // client1's next heartbeat gets a 404 and it reconnects: 3 onConnects in all.
    await waitFor(() => client1.connects.length + client2.connects.length >= 3, {
      timeoutMs: 31_000,
      message: "client1 to reconnect after its heartbeat 404",
    });
    expect(client1.info().id).not.toBe(info1.id);
    expect(client1.errors.length).toBeGreaterThan(0);

    await services.postChat(info2.id, "msg2 from client2");
    await waitFor(
      () => chatsOf(client1).some((m) => (m.body as ChatMessage).message === "msg2 from client2"),
      { message: "client1 to receive msg2 from client2" },
    );
    await pool.stopAll();
  });

  it("Does raise Error Messages", async () => {
    const unreachable = pool.create({ baseUrl: "http://127.0.0.1:1", channels: ["*"] });
    await waitForCount(() => unreachable.errors.length, 1, "onException for an unreachable server");
    await unreachable.client.stop();

    const client1 = open({ heartbeatIntervalMs: 1000 });
    await client1.connected();
    expect(errorTexts(client1)).toEqual([]);
    await server().services.reset();
    await waitForCount(() => client1.errors.length, 1, "onException after the heartbeat 404");
    const text = (error: unknown) => (error instanceof Error ? error.message : String(error));
    expect(client1.errors.map(text).join("\n")).toContain("404");
    await pool.stopAll();
  });
});
