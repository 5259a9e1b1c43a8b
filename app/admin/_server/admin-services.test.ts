import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createServerEventsHandlers,
  MemoryServerEvents,
  type CallerIdentity,
  type ServerEventsHandlers,
} from "@/lib/server-events";
import { FrameReader } from "@/lib/server-events/testing/frame-reader";
import { buildAdminOverview, type AdminOverview } from "./admin-overview";
import { createAdminServices } from "./admin-services";
import { SubscriptionHandles } from "./subscription-handle";

const origin = "http://127.0.0.1:3000";
const people: Record<string, CallerIdentity> = {
  ada: { isAuthenticated: true, userId: "u-ada", userName: "ada", roles: ["admin"] },
  bob: { isAuthenticated: true, userId: "u-bob", userName: "bob", roles: ["user"] },
};
let events: MemoryServerEvents;
let handlers: ServerEventsHandlers;
let logged: unknown[];
const handles = new SubscriptionHandles("a-secret-of-at-least-32-characters!!");
const open: FrameReader[] = [];

beforeEach(async () => {
  // A clock that ticks on every read, so "newest first" never depends on two streams' timing.
  let clock = 1_700_000_000_000;
  events = new MemoryServerEvents({ onError: () => undefined, now: () => ++clock });
  await events.start();
  logged = [];
  handlers = createServerEventsHandlers({
    serverEvents: events,
    resolveIdentity: (request) =>
      Promise.resolve(people[request.headers.get("x-user") ?? ""] ?? null),
    services: createAdminServices({
      overview: () => buildAdminOverview(events, { reports: [], history: [] }, handles),
      handles: () => handles,
      log: { info: (fields: unknown) => void logged.push(fields) },
    }),
    onError: (error) => {
      throw error;
    },
  });
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((reader) => reader.cancel()));
  await events.stop();
});

async function connect(channels: string, user?: string) {
  const response = await handlers.stream(
    new Request(`${origin}/event-stream?channels=${channels}`, {
      headers: user ? { "x-user": user } : {},
    }),
  );
  const frames = new FrameReader(response.body!);
  open.push(frames);
  const { id } = (await frames.next()).body as { id: string };
  await frames.until((frame) => frame.selector === "cmd.onJoin");
  return { frames, id };
}

function call(operation: string, user?: string, body?: Record<string, unknown>) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (user) headers["x-user"] = user;
  const init = body ? { method: "POST", headers, body: JSON.stringify(body) } : { headers };
  return handlers.service(new Request(`${origin}/api/${operation}`, init), operation);
}

async function failure(response: Response) {
  const { responseStatus } = (await response.json()) as {
    responseStatus: { message: string; errors: { fieldName: string }[] };
  };
  return `${response.status} ${responseStatus.errors[0]?.fieldName ?? "-"} ${responseStatus.message}`;
}

async function overview(): Promise<AdminOverview> {
  const response = await call("GetAdminOverview", "ada");
  expect(response.status).toBe(200);
  return (await response.json()) as AdminOverview;
}

describe("admin services", () => {
  it("are for signed-in admins only", async () => {
    for (const operation of ["GetAdminOverview", "AdminUnRegisterSubscription", "AdminAnnounce"]) {
      const body = { handle: "x".repeat(22), channel: "home", message: "hi" };
      expect((await call(operation, undefined, body)).status).toBe(401);
      expect((await call(operation, "bob", body)).status).toBe(403);
    }
  });

  it("list the newest subscriptions with a handle, never their ids", async () => {
    const bob = await connect("home,lobby", "bob");
    const guest = await connect("home");
    const response = await call("GetAdminOverview", "ada");
    const text = await response.text();
    for (const id of [bob.id, guest.id]) expect(text).not.toContain(id);
    const { newestSubscriptions, subscriptionCount } = JSON.parse(text) as AdminOverview;
    expect(subscriptionCount).toBe(2);
    expect(newestSubscriptions.map((row) => [row.displayName, row.channels])).toEqual([
      [expect.stringMatching(/^user\d+$/u), ["home"]],
      ["bob", ["home", "lobby"]],
    ]);
    expect(newestSubscriptions[0]!.handle).toMatch(/^[A-Za-z0-9_-]{22}$/u);
  });

  it("unregister a subscription by its handle, once, and log who did it", async () => {
    const bob = await connect("home", "bob");
    const [row] = (await overview()).newestSubscriptions;
    const first = await call("AdminUnRegisterSubscription", "ada", { handle: row!.handle });
    expect(await first.json()).toEqual({ displayName: "bob" });
    expect(await bob.frames.ended()).toBe(true);
    expect(await events.getSubscriptionInfo(bob.id)).toBeNull();
    expect(logged).toEqual([expect.objectContaining({ action: "unregister", by: "ada" })]);

    const again = await call("AdminUnRegisterSubscription", "ada", { handle: row!.handle });
    expect(await failure(again)).toBe("404 handle That subscription has already left");
  });

  it("refuse what is not a handle, and actions sent with GET", async () => {
    const bad = await call("AdminUnRegisterSubscription", "ada", { handle: "not a handle" });
    expect(await failure(bad)).toBe("400 handle 'handle' is not a subscription handle");
    expect((await call("AdminUnRegisterSubscription", "ada")).status).toBe(405);
  });

  it("announce to a channel's members as the chat's banner", async () => {
    const member = await connect("home", "bob");
    const response = await call("AdminAnnounce", "ada", { channel: "home", message: " Deploy " });
    expect(response.status).toBe(200);
    const frame = await member.frames.until((f) => f.selector === "cmd.operatorNotice");
    expect(frame).toMatchObject({ channel: "home", body: "Deploy" });
    expect(logged).toEqual([expect.objectContaining({ action: "announce", channel: "home" })]);
  });

  it.each([
    ["a blank message", { channel: "home", message: "   " }, "400 message 'message' must be 1"],
    ["a long message", { channel: "home", message: "x".repeat(501) }, "400 message"],
    ["a bad channel", { channel: "two words", message: "hi" }, "400 channel"],
    ["no channel", { message: "hi" }, "400 channel"],
  ])("refuse an announcement with %s, naming the field", async (_, body, expected) => {
    expect(await failure(await call("AdminAnnounce", "ada", body))).toMatch(expected);
  });
});
