import { afterEach, describe, expect, it } from "vitest";
import { ServerEventsError } from "../errors";
import type { CallerIdentity } from "../identity";
import { MemoryServerEvents } from "../memory-server-events";
import { FrameReader } from "../testing/frame-reader";
import { createServerEventsHandlers } from "./create-handlers";
import type { StreamLimits } from "./stream-quota";

const origin = "http://127.0.0.1:3000";
const guest = (sessionId: string): CallerIdentity => ({
  isAuthenticated: false,
  userId: `guest-${sessionId}`,
  sessionId,
});
const alice: CallerIdentity = { isAuthenticated: true, userId: "7", userName: "alice" };

let events: MemoryServerEvents | undefined;
const readers: FrameReader[] = [];

afterEach(async () => {
  await Promise.all(readers.splice(0).map((reader) => reader.cancel().catch(() => undefined)));
  await events?.stop();
});

async function setUp(streamLimits: StreamLimits, onConnect?: () => void) {
  events = new MemoryServerEvents({ onError: () => undefined, onConnect });
  await events.start();
  const callers = new Map<string, CallerIdentity>([
    ["g1", guest("g1")],
    ["g2", guest("g2")],
    ["alice", alice],
  ]);
  const handlers = createServerEventsHandlers({
    serverEvents: events,
    resolveIdentity: (request) =>
      Promise.resolve(callers.get(request.headers.get("x-caller") ?? "") ?? null),
    streamLimits,
  });
  /** A stream as `caller` (none: cookieless), or the refusal. */
  const connect = async (caller?: string, address = "203.0.113.7") => {
    const response = await handlers.stream(
      new Request(`${origin}/event-stream?channels=home`, {
        headers: { "x-forwarded-for": address, ...(caller ? { "x-caller": caller } : {}) },
      }),
    );
    if (response.status !== 200) return { response, id: "", reader: undefined };
    const reader = new FrameReader(response.body!);
    readers.push(reader);
    const connected = await reader.next();
    return { response, id: (connected.body as { id: string }).id, reader };
  };
  return { events, connect };
}

describe("stream limits", () => {
  it("answers 429 naming the problem to a guest past their own limit, not to others", async () => {
    const { connect } = await setUp({ perCaller: 2 });
    await connect("g1");
    await connect("g1");
    const { response } = await connect("g1");
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("2");
    const body = (await response.json()) as { responseStatus: { message: string } };
    expect(body.responseStatus.message).toMatch(/Too many event streams/);
    expect((await connect("g2")).response.status).toBe(200);
    expect((await connect()).response.status).toBe(200);
  });

  it("counts streams with neither session nor guest cookie by their address (429 past it)", async () => {
    const { connect } = await setUp({ perCaller: 1, perAddress: 2 });
    await connect();
    // What the client wrote to the left of the proxy's entry changes nothing.
    await connect(undefined, "10.9.8.7, 203.0.113.7");
    const { response } = await connect(undefined, "10.1.2.3, 203.0.113.7");
    expect(response.status).toBe(429);
    const body = (await response.json()) as { responseStatus: { message: string } };
    expect(body.responseStatus.message).toMatch(/from your address/);
    expect((await connect(undefined, "198.51.100.1")).response.status).toBe(200);
    expect((await connect("g1")).response.status).toBe(200);
  });

  it("counts a signed-in user's streams whoever's cookie jar they come from", async () => {
    const { connect } = await setUp({ perCaller: 1 });
    await connect("alice");
    expect((await connect("alice")).response.status).toBe(429);
  });

  it("gives the place back when the subscriber leaves", async () => {
    const { events, connect } = await setUp({ perCaller: 1 });
    const first = await connect("g1");
    await first.reader!.cancel();
    await expect.poll(() => events.getSubscriptionInfo(first.id)).toBeNull();
    expect((await connect("g1")).response.status).toBe(200);
  });

  it("gives the place back when the server ends the stream", async () => {
    const { events, connect } = await setUp({ perCaller: 1 });
    const first = await connect("g1");
    await events.unRegister(first.id);
    expect((await connect("g1")).response.status).toBe(200);
  });

  it("answers 503 with Retry-After once the instance holds its maximum, cookieless callers too", async () => {
    const { events, connect } = await setUp({ perInstance: 2, perCaller: null });
    const first = await connect();
    await connect("g1");
    const { response } = await connect();
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("2");
    await events.unRegister(first.id);
    expect((await connect()).response.status).toBe(200);
  });

  it("does not count a stream that a hook refused after it was counted", async () => {
    let refuse = true;
    const { connect } = await setUp({ perCaller: 1 }, () => {
      if (refuse) throw new ServerEventsError("forbidden", "Not now");
    });
    expect((await connect("g1")).response.status).toBe(403);
    refuse = false;
    expect((await connect("g1")).response.status).toBe(200);
  });
});
