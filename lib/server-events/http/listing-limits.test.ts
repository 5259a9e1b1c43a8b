import { afterEach, describe, expect, it } from "vitest";
import type { CallerIdentity } from "../identity";
import { MemoryServerEvents } from "../memory-server-events";
import { FrameReader } from "../testing/frame-reader";
import { createServerEventsHandlers } from "./create-handlers";
import type { RateLimit } from "../rate-limiter";

const origin = "http://127.0.0.1:3000";
const alice: CallerIdentity = { isAuthenticated: true, userId: "7", userName: "alice" };

let events: MemoryServerEvents | undefined;
const readers: FrameReader[] = [];

afterEach(async () => {
  await Promise.all(readers.splice(0).map((reader) => reader.cancel().catch(() => undefined)));
  await events?.stop();
});

/** `members` cookieless subscriptions in "home", and handlers with `limit` on listings. */
async function setUp(members: number, limit?: RateLimit | null) {
  events = new MemoryServerEvents({ onError: () => undefined });
  await events.start();
  const handlers = createServerEventsHandlers({
    serverEvents: events,
    resolveIdentity: (request) =>
      Promise.resolve(request.headers.get("x-caller") === "alice" ? alice : null),
    ...(limit === undefined ? {} : { subscriberListRateLimit: limit }),
  });
  for (let i = 0; i < members; i++) {
    const response = await handlers.stream(new Request(`${origin}/event-stream?channels=home`));
    const reader = new FrameReader(response.body!);
    readers.push(reader);
    await reader.next();
  }
  /** `GET /event-subscribers` (all of them, or `channels`) from `address`, as `caller`. */
  const list = (address: string, options: { channels?: string; caller?: string } = {}) =>
    handlers.subscribers(
      new Request(
        `${origin}/event-subscribers${options.channels ? `?channels=${options.channels}` : ""}`,
        {
          headers: {
            "x-forwarded-for": address,
            ...(options.caller ? { "x-caller": options.caller } : {}),
          },
        },
      ),
    );
  return { list };
}

describe("subscriber listings", () => {
  it("answers 429 to a user who has listed their budget's worth of subscribers", async () => {
    const { list } = await setUp(4, { perSecond: 1, burst: 6 });
    const alice = { caller: "alice" };
    // 4 listed, then 4 more (the budget goes into debt): the third listing must wait.
    expect((await list("203.0.113.7", alice)).status).toBe(200);
    const second = await list("203.0.113.7", { ...alice, channels: "home" });
    expect(second.status).toBe(200);
    expect(await second.json()).toHaveLength(4);
    const refused = await list("203.0.113.7", alice);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await refused.text()).toMatch(/subscriber listings/u);
    // Anonymous callers from that address have a budget of their own.
    expect((await list("203.0.113.7")).status).toBe(200);
  });

  it("gives an address, which many people may share, four users' budget", async () => {
    const { list } = await setUp(4, { perSecond: 1, burst: 6 });
    // 24 where a user has 6; a listing of 4 costs 5 (one for the request itself).
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await list("198.51.100.9")).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect((await list("198.51.100.10")).status).toBe(200);
  });

  it("lets a member list refetched every two seconds by many viewers through by default", async () => {
    const { list } = await setUp(50);
    // A hundred tabs behind one address, each refetching a 50-member list: 5,000 listed.
    const statuses = new Set<number>();
    for (let i = 0; i < 100; i++)
      statuses.add((await list("203.0.113.7", { channels: "home" })).status);
    expect([...statuses]).toEqual([200]);
  });

  it("can be turned off", async () => {
    const { list } = await setUp(3, null);
    const statuses = new Set<number>();
    for (let i = 0; i < 20; i++) statuses.add((await list("203.0.113.7")).status);
    expect([...statuses]).toEqual([200]);
  });
});
