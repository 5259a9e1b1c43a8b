/** Only the caller that opened a subscription may act on it: signed-in users, guests, anonymous ones. */
import { describe, expect, it } from "vitest";
import { handlersPerTest } from "../testing/handlers-fixture";

const fixture = handlersPerTest();

describe("who may act on a subscription", () => {
  it("only lets the owner act on a signed-in user's subscription", async () => {
    fixture.callers.set("alice", { isAuthenticated: true, userId: "alice-id", userName: "alice" });
    fixture.callers.set("bob", { isAuthenticated: true, userId: "bob-id", userName: "bob" });
    const { frames, info } = await fixture.connect("channels=a", { "x-user": "alice" });
    await frames.next();
    expect(info).toMatchObject({
      userId: "alice-id",
      displayName: "alice",
      isAuthenticated: "true",
    });
    for (const headers of [{}, { "x-user": "bob" }] as Record<string, string>[]) {
      expect(
        (await fixture.handlers.heartbeat(new Request(info.heartbeatUrl!, { headers }))).status,
      ).toBe(403);
      expect(
        (await fixture.handlers.unregister(new Request(info.unRegisterUrl!, { headers }))).status,
      ).toBe(403);
    }
    const own = await fixture.handlers.heartbeat(
      new Request(info.heartbeatUrl!, { headers: { "x-user": "alice" } }),
    );
    expect(own.status).toBe(200);
  });

  it("binds a guest's subscription to the guest cookie that opened it", async () => {
    fixture.callers.set("guest", { isAuthenticated: false, sessionId: "guest-session-0123456789" });
    fixture.callers.set("other", { isAuthenticated: false, sessionId: "guest-session-9876543210" });
    const { frames, info } = await fixture.connect("channels=a", { "x-user": "guest" });
    await frames.next();
    for (const headers of [{}, { "x-user": "other" }] as Record<string, string>[]) {
      const heartbeat = await fixture.handlers.heartbeat(
        new Request(info.heartbeatUrl!, { headers }),
      );
      expect(heartbeat.status).toBe(403);
      const update = await fixture.handlers.updateSubscriber(
        new Request(info.updateSubscriberUrl!, {
          method: "POST",
          headers,
          body: JSON.stringify({ subscribeChannels: ["b"] }),
        }),
        info.id!,
      );
      expect(update.status).toBe(403);
      const unregister = await fixture.handlers.unregister(
        new Request(info.unRegisterUrl!, { headers }),
      );
      expect(unregister.status).toBe(403);
    }
    const own = { headers: { "x-user": "guest" } };
    expect((await fixture.handlers.heartbeat(new Request(info.heartbeatUrl!, own))).status).toBe(
      200,
    );
    expect((await fixture.handlers.unregister(new Request(info.unRegisterUrl!, own))).status).toBe(
      200,
    );
  });

  it("keeps the name and user id a host gives a guest on every connection, bound to the cookie", async () => {
    const guest = { isAuthenticated: false, sessionId: "guest-session-0123456789" } as const;
    fixture.callers.set("guest", { ...guest, userId: "guest-1f2e", displayName: "user48213" });
    fixture.callers.set("other", { isAuthenticated: false, sessionId: "guest-session-9876543210" });
    const first = await fixture.connect("channels=a", { "x-user": "guest" });
    const second = await fixture.connect("channels=b", { "x-user": "guest" });
    for (const { info } of [first, second])
      expect(info).toMatchObject({
        userId: "guest-1f2e",
        displayName: "user48213",
        isAuthenticated: "false",
      });
    expect(second.info.id).not.toBe(first.info.id);
    // A cookieless visitor still draws a number, and no guest used one up.
    expect((await fixture.connect("channels=a")).info).toMatchObject({
      userId: "-1",
      displayName: "user1",
    });
    const pulse = (user: string) =>
      fixture.handlers.heartbeat(
        new Request(first.info.heartbeatUrl!, { headers: { "x-user": user } }),
      );
    expect((await pulse("other")).status).toBe(403);
    expect((await pulse("guest")).status).toBe(200);
  });

  it("keeps ServiceStack's id-only rule for cookieless anonymous subscriptions", async () => {
    const { frames, info } = await fixture.connect("channels=a");
    await frames.next();
    expect((await fixture.handlers.heartbeat(new Request(info.heartbeatUrl!))).status).toBe(200);
  });
});
