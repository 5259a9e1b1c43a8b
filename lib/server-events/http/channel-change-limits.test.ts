import { describe, expect, it } from "vitest";
import { handlersPerTest, origin } from "../testing/handlers-fixture";

/** Two changes a caller, twenty an address, and no refill within a test. */
const fixture = handlersPerTest({ channelChangeRateLimit: { perSecond: 0.001, burst: 2 } });

/** A subscription of `user` (a signed-in name, `guest…`, or "" for none) from `address`. */
async function subscribe(user: string, address: string) {
  if (user.startsWith("guest"))
    fixture.callers.set(user, { isAuthenticated: false, sessionId: `${user}-session-0123456789` });
  else if (user) fixture.callers.set(user, { isAuthenticated: true, userId: user, userName: user });
  const headers = { "x-user": user, "x-forwarded-for": address };
  const { info } = await fixture.connect("channels=home", headers);
  const change = async (channel: string) =>
    (
      await fixture.handlers.updateSubscriber(
        new Request(`${origin}/event-subscribers/${info.id}`, {
          method: "POST",
          headers,
          body: JSON.stringify({ subscribeChannels: [channel] }),
        }),
        info.id!,
      )
    ).status;
  return { change };
}

describe("channel changes", () => {
  it("are charged to the person, however many subscriptions they open", async () => {
    const first = await subscribe("ada", "203.0.113.1");
    const second = await subscribe("ada", "203.0.113.1");
    expect([await first.change("a"), await first.change("b")]).toEqual([200, 200]);
    expect(await second.change("c")).toBe(429);
    // Someone else, from the same address, still has their own.
    expect(await (await subscribe("bob", "203.0.113.1")).change("d")).toBe(200);
  });

  it("from guests and cookieless subscriptions share ten times that per address", async () => {
    const statuses: number[] = [];
    for (let n = 0; n < 11; n++) {
      const sub = await subscribe(n % 2 ? `guest${n}` : "", "198.51.100.7");
      statuses.push(await sub.change("a"), await sub.change("b"));
    }
    expect(statuses.filter((status) => status === 200)).toHaveLength(20);
    expect(statuses.slice(20)).toEqual([429, 429]);
    // Another address is not held back by that one.
    expect(await (await subscribe("guest99", "198.51.100.8")).change("a")).toBe(200);
  });
});
