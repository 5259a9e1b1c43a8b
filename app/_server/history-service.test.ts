import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  createServerEventsHandlers,
  MemoryServerEvents,
  type CallerIdentity,
  type RateLimit,
  type ServerEventsHandlers,
} from "@/lib/server-events";
import { MemoryChatHistory, type ChatHistory, type ChatMessage } from "./chat-history";
import { chatMessage } from "./chat-history.contract";
import { createHistoryService } from "./history-service";

const alice: CallerIdentity = { isAuthenticated: true, userId: "u-alice", userName: "alice" };
const bob: CallerIdentity = { isAuthenticated: true, userId: "u-bob", userName: "bob" };
// Each message is about 1,175 characters of JSON: a read of 50 costs about 59,000.
const LONG_TEXT = "字".repeat(1_000);
const RATE: RateLimit = { perSecond: 100_000, burst: 100_000 };

let events: MemoryServerEvents;

async function setUp(history: ChatHistory, rate: RateLimit | null = RATE) {
  events = new MemoryServerEvents({ onError: () => undefined });
  await events.start();
  const callers: Record<string, CallerIdentity> = { alice, bob };
  return createServerEventsHandlers({
    serverEvents: events,
    resolveIdentity: (request) =>
      Promise.resolve(callers[request.headers.get("x-user") ?? ""] ?? null),
    services: { GetChatHistory: createHistoryService(() => Promise.resolve(history), rate) },
    onError: (error) => {
      throw error;
    },
  });
}

async function fullHistory() {
  const history = new MemoryChatHistory();
  for (let id = 1; id <= 50; id++)
    await history.append({ ...chatMessage(id, "home"), message: LONG_TEXT });
  return history;
}

function read(handlers: ServerEventsHandlers, who: { user?: string; address: string }) {
  const headers: Record<string, string> = { "x-forwarded-for": who.address };
  if (who.user) headers["x-user"] = who.user;
  const request = new Request("http://127.0.0.1:3000/channels/home/messages?limit=50", { headers });
  return handlers.service(request, "GetChatHistory", { channel: "home" });
}

async function refusal(response: Response) {
  const body = (await response.json()) as { responseStatus: { message: string } };
  return { status: response.status, message: body.responseStatus.message };
}

describe("GetChatHistory", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(async () => {
    vi.useRealTimers();
    await events.stop();
  });

  it("answers the newest messages, oldest first", async () => {
    const handlers = await setUp(await fullHistory());
    const response = await read(handlers, { address: "203.0.113.1" });
    expect(response.status).toBe(200);
    const messages = (await response.json()) as ChatMessage[];
    expect(messages.map((message) => message.id)).toEqual(
      Array.from({ length: 50 }, (_, i) => i + 1),
    );
  });

  it("lets one address read only so much a second, and others read meanwhile", async () => {
    const handlers = await setUp(await fullHistory());
    const attacker = { address: "203.0.113.66" };
    // An address gets four users' worth, 400,000 characters a second; a read costs about 59,000 and
    // may run into debt, so the seventh passes and the eighth waits.
    for (let i = 0; i < 7; i++) expect((await read(handlers, attacker)).status).toBe(200);
    const refused = await read(handlers, attacker);
    expect(await refusal(refused)).toMatchObject({ status: 429 });
    expect(refused.headers.get("retry-after")).not.toBeNull();
    expect((await read(handlers, { address: "198.51.100.7" })).status).toBe(200);

    vi.advanceTimersByTime(1_000);
    expect((await read(handlers, attacker)).status).toBe(200);
  });

  it("charges a signed-in user, not the address they share with others", async () => {
    const handlers = await setUp(await fullHistory());
    const office = "192.0.2.10";
    for (let i = 0; i < 2; i++) await read(handlers, { user: "alice", address: office });
    expect((await read(handlers, { user: "alice", address: office })).status).toBe(429);
    expect((await read(handlers, { user: "bob", address: office })).status).toBe(200);
  });

  it("lets one caller have only four reads running at once", async () => {
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    const slow: ChatHistory = Object.assign(new MemoryChatHistory(), {
      recent: async () => {
        await released;
        return [];
      },
    });
    const handlers = await setUp(slow);
    const caller = { user: "alice", address: "203.0.113.9" };
    const running = Array.from({ length: 4 }, () => read(handlers, caller));
    await vi.waitFor(async () => {
      const fifth = await read(handlers, caller);
      const { status, message } = await refusal(fifth);
      expect([status, message]).toEqual([429, expect.stringMatching(/at once/u) as string]);
    });
    release();
    expect((await Promise.all(running)).map((response) => response.status)).toEqual([
      200, 200, 200, 200,
    ]);
    expect((await read(handlers, caller)).status).toBe(200);
  });

  it("can be left unlimited", async () => {
    const handlers = await setUp(await fullHistory(), null);
    for (let i = 0; i < 10; i++)
      expect((await read(handlers, { address: "203.0.113.66" })).status).toBe(200);
  });
});
