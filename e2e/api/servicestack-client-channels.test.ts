/**
 * ServiceStack's `test/serverevents.spec.ts` (docs/protocol.md, "Client compatibility"), its
 * channel behaviours: onJoin per channel, messages to clients on several channels, join and leave
 * messages across channels, and subscribing and unsubscribing while connected.
 * Run against a real `next start`, with the official `@servicestack/client` ServerEventsClient
 * (over the `eventsource` polyfill) and with our own client (lib/server-events-client).
 */
import { describe, expect, it } from "vitest";
import { clientKinds } from "./support/clients";
import { errorTexts, type RecordedClient } from "./support/recorder";
import {
  chatsOf,
  clientPoolFixture,
  servicestackServerFixture,
} from "./support/servicestack-client-fixture";
import type { ChatMessage } from "./support/services";
import { waitForCount } from "./support/wait";

const server = servicestackServerFixture();

describe.each(clientKinds)("ServerEventsClient: $name", (kind) => {
  const { pool, open } = clientPoolFixture(kind, server);

  it("Does fire onJoin events for multiple Channels", async () => {
    const channels = ["A", "B", "C"];
    const client1 = open({ channels });
    await client1.connected();
    await waitForCount(() => client1.joins.length, 3, "joins for A, B and C");
    expect(client1.joins.map((e) => e.channel)).toEqual(channels);
    for (const join of client1.joins) expect(join.displayName).toBe(client1.info().displayName);
    await pool.stopAll();
  });

  it("Does receive messages on to clients subscribed on multiple channels", async () => {
    const clientA = open({ channels: ["A"] });
    const clientAB = open({ channels: ["A", "B"] });
    const clientABC = open({ channels: ["A", "B", "C"] });
    const clientABCD = open({ channels: ["A", "B", "C", "D"] });
    const clients = [clientA, clientAB, clientABC, clientABCD];
    await Promise.all(clients.map((c) => c.connected()));

    expect(await clientA.client.getChannelSubscribers()).toHaveLength(4);
    expect(await clientAB.client.getChannelSubscribers()).toHaveLength(4);

    const { services } = server();
    const from = clientA.info().id;
    const sendBatch = async (round: number) => {
      for (const channel of ["A", "B", "C", "D"])
        await services.postChat(from, `round ${round} to ${channel}`, channel);
    };
    const counts = () => clients.map((c) => chatsOf(c).length);
    const total = () => counts().reduce((a, b) => a + b, 0);

    await sendBatch(1);
    await waitForCount(total, 10, "10 messages in all");
    expect(counts()).toEqual([1, 2, 3, 4]);

    await sendBatch(2);
    await waitForCount(total, 20, "20 messages in all");
    expect(counts()).toEqual([2, 4, 6, 8]);
    for (const client of clients) expect(errorTexts(client)).toEqual([]);
    await pool.stopAll();
  });

  it("Does receive all join and leave messages", async () => {
    const clientA = open({ channels: ["A"] });
    const clientB = open({ channels: ["B"] });
    await Promise.all([clientA.connected(), clientB.connected()]);
    const clientAB = open({ channels: ["A", "B"] });
    await clientAB.connected();

    await waitForCount(() => clientA.joins.length, 2, "joins seen by A");
    await waitForCount(() => clientB.joins.length, 2, "joins seen by B");
    await waitForCount(() => clientAB.joins.length, 2, "joins seen by AB");

    expect(await clientA.client.getChannelSubscribers()).toHaveLength(2);
    expect(await clientB.client.getChannelSubscribers()).toHaveLength(2);
    expect(await clientAB.client.getChannelSubscribers()).toHaveLength(3);
    const { services } = server();
    expect(await services.getEventSubscribers(["A"])).toHaveLength(2);
    expect(await services.getEventSubscribers(["B"])).toHaveLength(2);
    expect(await services.getEventSubscribers(["A", "B"])).toHaveLength(3);

    await clientAB.client.stop();
    await waitForCount(() => clientA.leaves.length, 1, "AB's leave seen by A");
    await waitForCount(() => clientB.leaves.length, 1, "AB's leave seen by B");
    await clientA.client.stop();
    await clientB.client.stop();

    expect(clientA.joins).toHaveLength(2);
    expect(clientB.joins).toHaveLength(2);
    expect(clientAB.joins).toHaveLength(2);
    expect(clientA.leaves).toHaveLength(1);
    expect(clientB.leaves).toHaveLength(1);
    expect(clientAB.leaves).toHaveLength(0);
    await pool.stopAll();
  });

  it("MultiChannel Does receive all join and leave messages", async () => {
    const clientAB = open({ channels: ["A", "B"] });
    await clientAB.connected();
    const clientA = open({ channels: ["A"] });
    const clientB = open({ channels: ["B"] });
    await Promise.all([clientA.connected(), clientB.connected()]);

    await waitForCount(() => clientAB.joins.length, 4, "joins seen by AB");
    await waitForCount(() => clientA.joins.length, 1, "own join of A");
    await waitForCount(() => clientB.joins.length, 1, "own join of B");

    await clientA.client.stop();
    await clientB.client.stop();
    await waitForCount(() => clientAB.leaves.length, 2, "leaves seen by AB");

    expect(clientAB.joins).toHaveLength(4);
    expect(clientA.joins).toHaveLength(1);
    expect(clientB.joins).toHaveLength(1);
    expect(clientAB.leaves).toHaveLength(2);
    expect(clientA.leaves).toHaveLength(0);
    expect(clientB.leaves).toHaveLength(0);
    await pool.stopAll();
  });

  it("Can subscribe to channels whilst connected", async () => {
    const client1 = open({ channels: ["A"] });
    const client2 = open({ channels: ["B"] });
    const [info1] = await Promise.all([client1.connected(), client2.connected()]);
    const { services } = server();
    const counts = () => [chatsOf(client1).length, chatsOf(client2).length];

    await services.postChat(info1.id, "msg1 to B", "B");
    await waitForCount(() => chatsOf(client2).length, 1, "client2 gets msg1");
    expect(counts()).toEqual([0, 1]);

    await client1.client.subscribeToChannels("B");
    expect(client1.client.channels).toEqual(["A", "B"]);
    expect(client1.client.eventStreamUri.split("&")[0]).toMatch(/\?channels=A,B$/u);

    await services.postChat(info1.id, "msg2 to B", "B");
    await services.postChat(info1.id, "msg3 to C", "C");
    await waitForCount(() => chatsOf(client1).length, 1, "client1 gets msg2");
    await waitForCount(() => chatsOf(client2).length, 2, "client2 gets msg2");

    await client1.client.subscribeToChannels("C");
    await client2.client.subscribeToChannels("C");
    await services.postChat(info1.id, "msg4 to C", "C");
    await waitForCount(() => chatsOf(client1).length, 2, "client1 gets msg4");
    await waitForCount(() => chatsOf(client2).length, 3, "client2 gets msg4");
    expect(counts()).toEqual([2, 3]);
    expect(client1.client.channels).toEqual(["A", "B", "C"]);
    expect(client2.client.channels).toEqual(["B", "C"]);
    expect(client1.client.eventStreamUri.split("&")[0]).toMatch(/\?channels=A,B,C$/u);
    expect(client2.client.eventStreamUri.split("&")[0]).toMatch(/\?channels=B,C$/u);
    expect([...errorTexts(client1), ...errorTexts(client2)]).toEqual([]);
    await pool.stopAll();
  });

  it("Can unsubscribe from channels whilst connected", async () => {
    const client1 = open({ channels: ["A", "B", "C"] });
    const client2 = open({ channels: ["B", "C"] });
    const [info1] = await Promise.all([client1.connected(), client2.connected()]);
    const { services } = server();
    const counts = () => [chatsOf(client1).length, chatsOf(client2).length];

    await services.postChat(info1.id, "msg1 to B", "B");
    await waitForCount(() => chatsOf(client1).length, 1, "client1 gets msg1");
    await waitForCount(() => chatsOf(client2).length, 1, "client2 gets msg1");

    await client1.client.unsubscribeFromChannels("B");
    await services.postChat(info1.id, "msg2 to B", "B");
    await services.postChat(info1.id, "msg3 to C", "C");
    await waitForCount(() => chatsOf(client1).length, 2, "client1 gets msg3");
    await waitForCount(() => chatsOf(client2).length, 3, "client2 gets msg2 and msg3");
    expect(counts()).toEqual([2, 3]);
    expect(client1.client.channels).toEqual(["A", "C"]);
    expect(client1.client.eventStreamUri.split("&")[0]).toMatch(/\?channels=A,C$/u);

    await client1.client.unsubscribeFromChannels("C");
    await client2.client.unsubscribeFromChannels("C");
    await services.postChat(info1.id, "msg4 to C", "C");
    // A message each client does get, sent after msg4: once it arrives, msg4 would have too.
    await services.postChat(info1.id, "sentinel to A", "A");
    await services.postChat(info1.id, "sentinel to B", "B");
    await waitForCount(() => chatsOf(client1).length, 3, "client1 gets the sentinel");
    await waitForCount(() => chatsOf(client2).length, 4, "client2 gets the sentinel");
    const texts = (c: RecordedClient) => chatsOf(c).map((m) => (m.body as ChatMessage).message);
    expect(texts(client1)).toEqual(["msg1 to B", "msg3 to C", "sentinel to A"]);
    expect(texts(client2)).toEqual(["msg1 to B", "msg2 to B", "msg3 to C", "sentinel to B"]);
    expect(client1.client.channels).toEqual(["A"]);
    expect(client2.client.channels).toEqual(["B"]);
    expect(client1.client.eventStreamUri.split("&")[0]).toMatch(/\?channels=A$/u);
    expect(client2.client.eventStreamUri.split("&")[0]).toMatch(/\?channels=B$/u);
    await pool.stopAll();
  });
});
