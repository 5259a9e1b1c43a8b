import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MemoryServerEvents, type PublishedMessage } from "@/lib/server-events";
import { chatMessage } from "./chat-history.contract";
import { chatPublisher } from "./chat-publisher";

describe("chatPublisher", () => {
  let events: MemoryServerEvents;
  let published: PublishedMessage[];

  beforeEach(async () => {
    events = new MemoryServerEvents({ onError: () => undefined });
    await events.start();
    published = [];
    events.observeMessages((message) => published.push(message));
  });
  afterEach(() => events.stop());

  it("sends cmd.chat to a channel, a user and a subscription, as JSON of the message", async () => {
    const message = chatMessage(1, "home");
    const publish = chatPublisher(events, "cmd.chat");
    await publish.toChannel("home", message);
    await publish.toUserId("u1", message);
    await publish.toSubscription("s1", message);
    expect(published.map((m) => [m.target, m.selector])).toEqual([
      [{ kind: "channel", value: "home" }, "cmd.chat"],
      [{ kind: "userId", value: "u1" }, "cmd.chat"],
      [{ kind: "subscription", value: "s1" }, "cmd.chat"],
    ]);
    expect(JSON.parse(published[0]!.json)).toEqual(message);
  });

  it("refuses a cmd.chat message the page would drop, with a 400 naming the field, and sends nothing", async () => {
    const nameless = { ...chatMessage(1, "home"), displayName: "" };
    const error = await chatPublisher(events, "cmd.chat")
      .toChannel("home", nameless)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 400, field: "message.displayName" });
    expect(published).toEqual([]);
  });

  it("sends a message under another selector unchecked, as ServiceStack's suites expect", async () => {
    const nameless = { ...chatMessage(1, "home"), displayName: "" };
    await chatPublisher(events, "cmd.custom").toChannel("home", nameless);
    expect(published.map((m) => m.selector)).toEqual(["cmd.custom"]);
  });
});
