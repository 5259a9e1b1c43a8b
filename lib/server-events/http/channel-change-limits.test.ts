import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CallerIdentity } from "../identity";
import { MemoryServerEvents } from "../memory-server-events";
import { FrameReader } from "../testing/frame-reader";
import { origin } from "../testing/handlers-fixture";
import { createServerEventsHandlers, type ServerEventsHandlers } from "./create-handlers";

/** Two changes a caller, twenty an address, and no refill within a test. */
const channelChangeRateLimit = { perSecond: 0.001, burst: 2 };

let events: MemoryServerEvents;
let handlers: ServerEventsHandlers;
const open: FrameReader[] = [];

beforeEach(async () => {
  events = new MemoryServerEvents({ onError: () => undefined });
  await events.start();
  handlers = createServerEventsHandlers({
    serverEvents: events,
    channelChangeRateLimit,
    resolveIdentity: (request) => {
      const user = request.headers.get("x-user") ?? "";
      const identity: CallerIdentity | null = user.startsWith("guest")
        ? { isAuthenticated: false, sessionId: `${user}-session-0123456789` }
        : user
          ? { isAuthenticated: true, userId: user, userName: user }
          : null;
      return Promise.resolve(identity);
    },
  });
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((reader) => reader.cancel()));
  await events.stop();
});

/** A subscription of `user` (a signed-in name, `guest…`, or "" for none) from `address`. */
async function subscribe(user: string, address: string) {
  const headers = { "x-user": user, "x-forwarded-for": address };
  const response = await handlers.stream(
    new Request(`${origin}/event-stream?channels=home`, { headers }),
  );
  const frames = new FrameReader(response.body!);
  open.push(frames);
  const { id } = (await frames.next()).body as { id: string };
  const change = async (channel: string) =>
    (
      await handlers.updateSubscriber(
        new Request(`${origin}/event-subscribers/${id}`, {
          method: "POST",
          headers,
          body: JSON.stringify({ subscribeChannels: [channel] }),
        }),
        id,
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
