/**
 * Our client (lib/server-events-client) resumes with `Last-Event-ID` (docs/protocol.md, "Replay"):
 * when the server ends its stream, the messages published on its channel meanwhile arrive after
 * the reconnect, in order and exactly once.
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  ServerEventsClient,
  type FetchLike,
  type ServerEventConnect,
  type ServerEventsClientOptions,
} from "@/lib/server-events-client";
import { nextServerFixture } from "./support/fixture";
import { randomToken } from "./support/next-server";
import type { ChatMessage } from "./support/services";
import { waitFor, waitForCount } from "./support/wait";

const server = nextServerFixture();

interface Gate {
  promise: Promise<void>;
  open(): void;
}

function createGate(): Gate {
  let open = () => {};
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

type ChatHandlers = { chat: (msg: ChatMessage) => void };

describe("lib/server-events-client: Last-Event-ID resume", () => {
  const clients: ServerEventsClient<ChatHandlers>[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.stop()));
  });

  function create(channel: string, options: ServerEventsClientOptions<ChatHandlers>) {
    const client = new ServerEventsClient<ChatHandlers>(server().baseUrl, [channel], options);
    clients.push(client);
    return client;
  }

  it("replays what was published while the stream was gone, exactly once", async () => {
    const channel = `resume-${randomToken(8)}`;
    const { services, baseUrl } = server();

    // The stream requests after the first wait at this gate, so that the "meanwhile" messages
    // are published while the client is certainly disconnected, whatever its back-off.
    const gate = createGate();
    const streamRequests: { lastEventId: string | null }[] = [];
    const gatedFetch: FetchLike = async (input, init) => {
      if (new URL(input).pathname === "/event-stream") {
        streamRequests.push({ lastEventId: new Headers(init.headers).get("Last-Event-ID") });
        if (streamRequests.length > 1) await gate.promise;
      }
      return fetch(input, init);
    };

    const connects: ServerEventConnect[] = [];
    const chats: ChatMessage[] = [];
    const eventIds: number[] = [];
    const errors: unknown[] = [];
    const client = create(channel, {
      fetch: gatedFetch,
      handlers: {
        onConnect: (info) => connects.push(info),
        chat: (msg) => chats.push(msg),
        onMessage: (e) => eventIds.push(e.eventId),
      },
      onException: (error) => errors.push(error),
    }).start();

    const senderConnects: ServerEventConnect[] = [];
    create(`sender-${randomToken(8)}`, {
      handlers: { onConnect: (info) => senderConnects.push(info) },
    }).start();
    await waitForCount(() => connects.length, 1, "onConnect");
    await waitForCount(() => senderConnects.length, 1, "sender onConnect");
    const from = senderConnects[0]!.id;

    await services.postChat(from, "before", channel);
    await waitForCount(() => chats.length, 1, "the first chat");

    // Unregistering ends the server-side stream; the client notices and reconnects.
    const firstId = client.getSubscriptionId();
    const unregister = await fetch(`${baseUrl}/event-unregister?id=${encodeURIComponent(firstId)}`);
    expect(unregister.status).toBe(200);
    await unregister.body?.cancel();
    await waitForCount(() => streamRequests.length, 2, "the reconnect request");

    for (const message of ["missed 1", "missed 2", "missed 3"])
      await services.postChat(from, message, channel);
    gate.open();

    await waitForCount(() => connects.length, 2, "the second onConnect");
    expect(streamRequests[1]!.lastEventId).toMatch(/^\d+$/u);
    expect(connects[1]!.id).not.toBe(firstId);
    expect(connects[1]!.recovered).toBe("true");
    await waitForCount(() => chats.length, 4, "the replayed chats");

    await services.postChat(from, "live", channel);
    await waitFor(() => chats.some((m) => m.message === "live"), { message: "the live chat" });
    expect(chats.map((m) => m.message)).toEqual([
      "before",
      "missed 1",
      "missed 2",
      "missed 3",
      "live",
    ]);
    expect(new Set(eventIds).size).toBe(eventIds.length);
    expect(eventIds).toEqual([...eventIds].sort((a, b) => a - b));
    // The only error is the stream ending.
    expect(errors).toHaveLength(1);
  });
});
