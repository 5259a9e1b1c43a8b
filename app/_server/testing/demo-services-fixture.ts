import { afterEach, beforeEach } from "vitest";
import {
  createServerEventsHandlers,
  MemoryServerEvents,
  type CallerIdentity,
  type ServerEventsHandlers,
  type ServerEventsOptions,
} from "@/lib/server-events";

import type { ServerEventsHandlersOptions } from "@/lib/server-events/http/create-handlers";
import { FrameReader } from "@/lib/server-events/testing/frame-reader";
import { MemoryChatHistory } from "../chat-history";
import { createDemoServices } from "../demo-services";

/** The origin every test request is sent to. */
export const origin = "http://127.0.0.1:3000";

/** Who each `x-user` header names: two signed-in users (ada an admin) and two guest cookies. */
const callers: Record<string, CallerIdentity> = {
  alice: { isAuthenticated: true, userId: "u-alice", userName: "alice" },
  ada: { isAuthenticated: true, userId: "u-ada", userName: "ada", roles: ["admin"] },
  guest: { isAuthenticated: false, sessionId: "guest-cookie-0123456789" },
  guest2: { isAuthenticated: false, sessionId: "guest-cookie-9876543210" },
};

type HandlerLimits = Partial<Omit<ServerEventsHandlersOptions, "serverEvents" | "services">>;

export interface DemoServicesFixture {
  readonly events: MemoryServerEvents;
  readonly handlers: ServerEventsHandlers;
  readonly history: MemoryChatHistory;
  /** Starts over with other options (stop `events` first); each test starts with the defaults. */
  setUp: (
    options?: ServerEventsOptions,
    limits?: HandlerLimits,
    historyChannelsPerHour?: number,
  ) => Promise<void>;
  /** Opens a stream in `home` as `user` (anonymous without one), read past its own onJoin. */
  connect: (user?: string) => Promise<{ frames: FrameReader; id: string }>;
  /** POSTs `body` as JSON to `/api/{operation}` as `user`. */
  call: (
    operation: string,
    body: Record<string, unknown>,
    user?: string,
    extraHeaders?: Record<string, string>,
  ) => Promise<Response>;
}

/**
 * The Fetch handlers with the demo's services (chat text capped at 50 characters) over a fresh
 * memory provider and chat history for each test; streams are cancelled after it.
 */
export function demoServicesPerTest(): DemoServicesFixture {
  let events: MemoryServerEvents | undefined;
  let handlers: ServerEventsHandlers | undefined;
  let history: MemoryChatHistory | undefined;
  const open: FrameReader[] = [];

  async function setUp(options = {}, limits = {}, historyChannelsPerHour = 200): Promise<void> {
    events = new MemoryServerEvents({ onError: () => undefined, ...options });
    await events.start();
    history = new MemoryChatHistory();
    handlers = createServerEventsHandlers({
      serverEvents: events,
      resolveIdentity: (request) =>
        Promise.resolve(callers[request.headers.get("x-user") ?? ""] ?? null),
      services: createDemoServices({ history, maxChatLength: 50, historyChannelsPerHour }),
      onError: (error) => {
        throw error;
      },
      ...limits,
    });
  }

  beforeEach(() => setUp());
  afterEach(async () => {
    await Promise.all(open.splice(0).map((reader) => reader.cancel()));
    await events?.stop();
  });

  return {
    get events() {
      return events!;
    },
    get handlers() {
      return handlers!;
    },
    get history() {
      return history!;
    },
    setUp,
    async connect(user) {
      const headers: Record<string, string> = user ? { "x-user": user } : {};
      const response = await handlers!.stream(
        new Request(`${origin}/event-stream?channels=home`, { headers }),
      );
      const frames = new FrameReader(response.body!);
      open.push(frames);
      const info = (await frames.next()).body as Record<string, string>;
      await frames.until((frame) => frame.selector === "cmd.onJoin");
      return { frames, id: info.id! };
    },
    call(operation, body, user, extraHeaders = {}) {
      const headers: Record<string, string> = {
        "content-type": "application/json",
        ...extraHeaders,
      };
      if (user) headers["x-user"] = user;
      const request = new Request(`${origin}/api/${operation}`, {
        method: "POST",
        headers,
        body: JSON.stringify(body),
      });
      return handlers!.service(request, operation);
    },
  };
}

/** `"<status> <fieldName>"` of a refusal: what a test asserts about why it was refused. */
export async function failure(response: Response): Promise<string> {
  const body = (await response.json()) as {
    responseStatus: { errors: { fieldName: string }[] };
  };
  return `${response.status} ${body.responseStatus.errors[0]?.fieldName}`;
}
