/**
 * ServiceStack's `test/serverevents.spec.ts` (docs/protocol.md, "Client compatibility"), its
 * dispatch behaviours: how a message reaches `cmd.*` handlers, named and global receivers (methods,
 * setters and noSuchMethod), receivers built by a resolver, and listeners of `trigger.*` events.
 * Run against a real `next start`, with the official `@servicestack/client` ServerEventsClient
 * (over the `eventsource` polyfill) and with our own client (lib/server-events-client).
 */
import { describe, expect, it } from "vitest";
import { clientKinds, type TestMessage } from "./support/clients";
import { errorTexts } from "./support/recorder";
import {
  clientPoolFixture,
  servicestackServerFixture,
} from "./support/servicestack-client-fixture";
import {
  AnnounceInstance,
  TestGlobalReceiver,
  TestJavaScriptReceiver,
  TestNamedReceiver,
  type CustomType,
} from "./support/servicestack-receivers";
import type { ChatMessage } from "./support/services";
import { waitForCount } from "./support/wait";

const server = servicestackServerFixture();

describe.each(clientKinds)("ServerEventsClient: $name", (kind) => {
  const { pool, open } = clientPoolFixture(kind, server);

  it("Does send message to Handler", async () => {
    const chats: ChatMessage[] = [];
    const events: TestMessage[] = [];
    const client1 = open({
      handlers: {
        chat: (msg: ChatMessage, e: TestMessage) => {
          chats.push(msg);
          events.push(e);
        },
      },
    });
    const info = await client1.connected();
    await server().services.postChat(info.id, "msg1");
    await waitForCount(() => chats.length, 1, "chat handler msg1");
    expect(chats[0]!.message).toBe("msg1");
    expect(events[0]!.selector).toBe("cmd.chat");
    await server().services.postChat(info.id, "msg2");
    await waitForCount(() => chats.length, 2, "chat handler msg2");
    expect(chats.map((m) => m.message)).toEqual(["msg1", "msg2"]);
    expect(chats[1]!.fromUserId).toBe(info.userId);
    await pool.stopAll();
  });

  it("Does send string to Handler", async () => {
    const announced: string[] = [];
    const client1 = open({ handlers: { announce: (msg: string) => announced.push(msg) } });
    const info = await client1.connected();
    await server().services.postRaw(info.id, "cmd.announce", "msg1");
    await waitForCount(() => announced.length, 1, "announce msg1");
    await server().services.postRaw(info.id, "cmd.announce", "msg2");
    await waitForCount(() => announced.length, 2, "announce msg2");
    expect(announced).toEqual(["msg1", "msg2"]);
    await pool.stopAll();
  });

  it("Does send message to named receiver", async () => {
    const receiver = new TestNamedReceiver();
    const client1 = open();
    client1.client.registerNamedReceiver("test", receiver);
    await client1.connected();
    const { services } = server();

    await services.postObject({
      from: client1.info().id,
      customType: { id: 1, name: "Foo" },
      selector: "test.fooMethod",
    });
    await waitForCount(() => client1.messages.length, 1, "test.fooMethod");
    expect(receiver.fooMethodReceived).toEqual([{ id: 1, name: "Foo" }]);

    await services.postObject({
      from: client1.info().id,
      customType: { id: 2, name: "Bar" },
      selector: "test.barMethod",
    });
    await waitForCount(() => client1.messages.length, 2, "test.barMethod");
    expect(receiver.barMethodReceived).toEqual([{ id: 2, name: "Bar" }]);

    await services.postObject({
      from: client1.info().id,
      customType: { id: 3, name: "Baz" },
      selector: "test.BazMethod",
    });
    await waitForCount(() => client1.messages.length, 3, "test.BazMethod");
    expect(receiver.noSuchMethodReceived).toEqual([
      { selector: "BazMethod", body: { id: 3, name: "Baz" } },
    ]);

    await services.postRaw(client1.info().id, "test.quxSetter", "qux");
    await waitForCount(() => client1.messages.length, 4, "test.quxSetter");
    expect(receiver.quxSetterReceived).toEqual(["qux"]);
    expect(client1.messages).toHaveLength(4);
    expect(client1.messages.map((m) => m.op)).toEqual(["test", "test", "test", "test"]);
    await pool.stopAll();
  });

  it("Does send message to global receiver", async () => {
    const receiver = new TestGlobalReceiver();
    const client1 = open({ receivers: { cmd: receiver } });
    await client1.connected();
    await server().services.postObject({
      from: client1.info().id,
      customType: { id: 1, name: "Foo" },
    });
    await waitForCount(() => client1.messages.length, 1, "cmd.CustomType");
    expect(client1.messages[0]!.selector).toBe("cmd.CustomType");
    // The official client invokes the global receiver twice for an unhandled cmd.X; ours once.
    expect(receiver.customTypeReceived).toEqual(
      Array<CustomType>(kind.globalReceiverCallsPerMessage).fill({ id: 1, name: "Foo" }),
    );
    // The official client also hands the built-in commands (onConnect, onJoin) to the `cmd`
    // receiver, whose noSuchMethod then sees them; ours does not. Either way CustomType was found.
    expect(receiver.noSuchMethodReceived).not.toContain("CustomType");
    await pool.stopAll();
  });

  it("Does set properties on global receiver", async () => {
    const receiver = new TestGlobalReceiver();
    const client1 = open();
    client1.client.registerReceiver(receiver);
    await client1.connected();
    await server().services.postObject({
      from: client1.info().id,
      setterType: { id: 1, name: "Foo" },
    });
    await waitForCount(() => client1.messages.length, 1, "cmd.SetterType");
    expect(client1.messages[0]!.selector).toBe("cmd.SetterType");
    expect(receiver.setterTypeReceived).toEqual(
      Array<CustomType>(kind.globalReceiverCallsPerMessage).fill({ id: 1, name: "Foo" }),
    );
    await pool.stopAll();
  });

  it("Does send raw string messages", async () => {
    const receiver = new TestJavaScriptReceiver();
    const client1 = open({ receivers: { cmd: receiver, css: receiver } });
    const info = await client1.connected();
    const { services } = server();
    const calls = kind.globalReceiverCallsPerMessage;

    await services.postChat(info.id, "chat msg");
    await waitForCount(() => client1.messages.length, 1, "cmd.chat");
    expect(receiver.chatReceived).toHaveLength(calls);
    expect(receiver.chatReceived[0]!.message).toBe("chat msg");
    expect(receiver.chatReceived[0]!.fromUserId).toBe(info.userId);

    await services.postRaw(info.id, "cmd.announce", "This is your captain speaking ...");
    await waitForCount(() => client1.messages.length, 2, "cmd.announce");
    expect(receiver.announceReceived).toEqual(
      Array<string>(calls).fill("This is your captain speaking ..."),
    );

    await services.postRaw(info.id, "cmd.toggle$#channels", null);
    await waitForCount(() => client1.messages.length, 3, "cmd.toggle$#channels");
    expect(receiver.toggleReceived).toEqual(Array<null>(calls).fill(null));
    const toggle = receiver.toggleRequestReceived[0]!;
    expect(toggle.selector).toBe("cmd.toggle$#channels");
    expect(toggle.op).toBe("cmd");
    expect(toggle.target).toBe("toggle");
    expect(toggle.cssSelector).toBe("#channels");
    expect(toggle.body).toBeNull();

    await services.postRaw(info.id, "css.background-image$#top", "url(http://bit.ly/1yIJOBH)");
    await waitForCount(() => client1.messages.length, 4, "css.background-image$#top");
    expect(receiver.backgroundImageReceived).toEqual(["url(http://bit.ly/1yIJOBH)"]);
    const background = receiver.backgroundImageRequestReceived[0]!;
    expect(background.selector).toBe("css.background-image$#top");
    expect(background.op).toBe("css");
    expect(background.target).toBe("background-image");
    expect(background.cssSelector).toBe("#top");
    expect(errorTexts(client1)).toEqual([]);
    await pool.stopAll();
  });

  it("Can reuse same instance", async () => {
    const resolver = kind.singletonResolver();
    const client1 = open({ receivers: { cmd: AnnounceInstance }, resolver });
    const info = await client1.connected();
    await server().services.postRaw(info.id, "cmd.announce", "msg1");
    await waitForCount(() => client1.messages.length, 1, "announce msg1");
    await server().services.postRaw(info.id, "cmd.announce", "msg2");
    await waitForCount(() => client1.messages.length, 2, "announce msg2");
    const instance = resolver.tryResolve(AnnounceInstance) as AnnounceInstance;
    const calls = kind.globalReceiverCallsPerMessage;
    expect(instance.received).toEqual([
      ...Array<string>(calls).fill("msg1"),
      ...Array<string>(calls).fill("msg2"),
    ]);
    await pool.stopAll();
  });

  it("Does fire multiple listeners for custom trigger", async () => {
    const msgs1: TestMessage[] = [];
    const msgs2: TestMessage[] = [];
    const handler1 = (e: TestMessage) => msgs1.push(e);
    const handler2 = (e: TestMessage) => msgs2.push(e);
    const client1 = open();
    client1.client.addListener("customEvent", handler1);
    client1.client.addListener("customEvent", handler2);
    const info = await client1.connected();

    await server().services.postRaw(info.id, "trigger.customEvent", "arg");
    await waitForCount(() => client1.messages.length, 1, "trigger.customEvent");
    expect(msgs1).toHaveLength(1);
    expect(msgs2).toHaveLength(1);

    client1.client.removeListener("customEvent", handler1);
    await server().services.postRaw(info.id, "trigger.customEvent", "arg");
    await waitForCount(() => client1.messages.length, 2, "trigger.customEvent again");
    expect(msgs1).toHaveLength(1);
    expect(msgs2).toHaveLength(2);
    for (const msg of [...msgs1, ...msgs2]) {
      expect(JSON.parse(msg.json)).toBe("arg");
      expect(msg.body).toBe("arg");
      expect(msg.op).toBe("trigger");
      expect(msg.target).toBe("customEvent");
    }
    await pool.stopAll();
  });
});
