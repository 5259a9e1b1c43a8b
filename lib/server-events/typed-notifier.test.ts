import { afterEach, describe, expect, expectTypeOf, it, vi } from "vitest";
import { MemoryServerEvents } from "./memory-server-events";
import type { PublishedMessage } from "./message";
import { defineMessages } from "./typed-messages";
import { typedNotifier } from "./typed-notifier";
import { greeting, text, timestamp } from "./testing/standard-schemas";

const catalog = defineMessages({
  "cmd.greet": greeting,
  "cmd.announce": text(10),
  "clock.tick": timestamp,
});

function recordingEvents() {
  return {
    notifyAll: vi.fn(() => Promise.resolve()),
    notifyChannel: vi.fn(() => Promise.resolve()),
    notifySubscription: vi.fn(() => Promise.resolve()),
    notifyUserId: vi.fn(() => Promise.resolve()),
    notifyUserName: vi.fn(() => Promise.resolve()),
    notifySession: vi.fn(() => Promise.resolve()),
  };
}

describe("typedNotifier", () => {
  let provider: MemoryServerEvents | undefined;
  afterEach(async () => {
    await provider?.stop();
    provider = undefined;
  });

  it("publishes a matching message as given to each family", async () => {
    const events = recordingEvents();
    const notify = typedNotifier(events, catalog);
    const hello = { to: "bob", text: "hi" };
    await notify.notifyAll("cmd.announce", "all");
    await notify.notifyChannel("home", "cmd.greet", hello);
    await notify.notifySubscription("s1", "cmd.greet", hello, "home");
    await notify.notifyUserId("u1", "cmd.announce", "user");
    await notify.notifyUserName("bob", "cmd.announce", "name");
    await notify.notifySession("sess", "clock.tick", 0);
    expect(events.notifyAll).toHaveBeenCalledWith("cmd.announce", "all");
    expect(events.notifyChannel).toHaveBeenCalledWith("home", "cmd.greet", hello);
    expect(events.notifySubscription).toHaveBeenCalledWith("s1", "cmd.greet", hello, "home");
    expect(events.notifyUserId).toHaveBeenCalledWith("u1", "cmd.announce", "user", undefined);
    expect(events.notifyUserName).toHaveBeenCalledWith("bob", "cmd.announce", "name", undefined);
    // The input goes on the wire, not the schema's Date: the reader runs the transform.
    expect(events.notifySession).toHaveBeenCalledWith("sess", "clock.tick", 0, undefined);
  });

  it("rejects a message its schema refuses, and publishes nothing", async () => {
    const events = recordingEvents();
    const notify = typedNotifier(events, catalog);
    const bad = { to: "bob" } as { to: string; text: string };
    await expect(notify.notifyChannel("home", "cmd.greet", bad)).rejects.toMatchObject({
      code: "invalid_argument",
      field: "message.text",
      message: "'cmd.greet' message does not match its schema: text: Required",
    });
    await expect(notify.notifyUserId("u1", "cmd.announce", "longer than ten")).rejects.toThrow(
      "At most 10 characters",
    );
    expect(events.notifyChannel).not.toHaveBeenCalled();
    expect(events.notifyUserId).not.toHaveBeenCalled();
  });

  it("writes the frame a plain notifyChannel would, on a real provider", async () => {
    provider = new MemoryServerEvents({ onError: () => undefined });
    await provider.start();
    const published: PublishedMessage[] = [];
    provider.observeMessages((message) => published.push(message));
    await typedNotifier(provider, catalog).notifyChannel("home", "cmd.greet", {
      to: "bob",
      text: "hi",
    });
    expect(published).toMatchObject([
      {
        target: { kind: "channel", value: "home" },
        selector: "cmd.greet",
        json: '{"to":"bob","text":"hi"}',
      },
    ]);
  });

  it("refuses undeclared selectors and wrong messages at compile time", () => {
    const notify = typedNotifier(recordingEvents(), catalog);
    const typeChecks = async () => {
      // @ts-expect-error not declared in the catalog
      await notify.notifyAll("cmd.chat", "hi");
      // @ts-expect-error cmd.announce takes a string
      await notify.notifyChannel("home", "cmd.announce", 42);
      // @ts-expect-error cmd.greet needs `text` too
      await notify.notifyUserId("u1", "cmd.greet", { to: "bob" });
    };
    expectTypeOf(typeChecks).toBeFunction();
    type GreetInChannel = Parameters<typeof notify.notifyChannel<"cmd.greet">>;
    expectTypeOf<GreetInChannel[2]>().toEqualTypeOf<{ to: string; text: string }>();
  });
});
