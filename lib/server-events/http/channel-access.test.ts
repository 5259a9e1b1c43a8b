import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CallerIdentity } from "../identity";
import { MemoryServerEvents } from "../memory-server-events";
import { FrameReader } from "../testing/frame-reader";
import { requireChannelAccess } from "./channel-access";
import { createServerEventsHandlers, type ServerEventsHandlers } from "./create-handlers";

const origin = "http://127.0.0.1:3000";
const OPS = "ops-room";
const people: Record<string, CallerIdentity> = {
  ada: { isAuthenticated: true, userId: "u-ada", userName: "ada", roles: ["admin"] },
  bob: { isAuthenticated: true, userId: "u-bob", userName: "bob", roles: ["user"] },
  // A guest cannot hold a role: roles count for signed-in callers only.
  forger: { isAuthenticated: false, sessionId: "guest-session-0001", roles: ["admin"] },
};

let events: MemoryServerEvents;
let handlers: ServerEventsHandlers;
const open: FrameReader[] = [];

beforeEach(async () => {
  events = new MemoryServerEvents({ onError: () => undefined });
  await events.start();
  handlers = createServerEventsHandlers({
    serverEvents: events,
    resolveIdentity: (request) =>
      Promise.resolve(people[request.headers.get("x-user") ?? ""] ?? null),
    restrictedChannels: { [OPS]: "admin" },
  });
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((reader) => reader.cancel()));
  await events.stop();
});

const as = (user: string | undefined) => (user ? { "x-user": user } : undefined);

async function stream(channels: string, user?: string) {
  const response = await handlers.stream(
    new Request(`${origin}/event-stream?channels=${channels}`, { headers: as(user) }),
  );
  if (response.ok) open.push(new FrameReader(response.body!));
  return response;
}

async function errorOf(response: Response) {
  const body = (await response.json()) as {
    responseStatus: { message: string; errors: { fieldName: string }[] };
  };
  return { status: response.status, ...body.responseStatus };
}

describe("restricted channels", () => {
  it.each([undefined, "bob", "forger"])(
    "refuses a stream on the channel to %s (403)",
    async (who) => {
      const refused = await errorOf(await stream(`home,${OPS}`, who));
      expect(refused).toMatchObject({
        status: 403,
        message: `Only 'admin' users may subscribe to channel '${OPS}'`,
        errors: [{ fieldName: "channels" }],
      });
      expect(await events.getAllSubscriptionInfos()).toEqual([]);
    },
  );

  it("lets a caller with the role stream it, and everyone else every other channel", async () => {
    expect((await stream(OPS, "ada")).status).toBe(200);
    expect((await stream("home", "bob")).status).toBe(200);
    expect((await stream("home")).status).toBe(200);
  });

  it("refuses to add the channel to a live subscription of someone without the role", async () => {
    const bobStream = await stream("home", "bob");
    const reader = open.at(-1)!;
    const { id } = (await reader.next()).body as { id: string };
    expect(bobStream.status).toBe(200);
    const response = await handlers.updateSubscriber(
      new Request(`${origin}/event-subscribers/${id}`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-user": "bob" },
        body: JSON.stringify({ subscribeChannels: ["lobby", OPS] }),
      }),
      id,
    );
    expect(await errorOf(response)).toMatchObject({
      status: 403,
      errors: [{ fieldName: "subscribeChannels" }],
    });
    expect((await events.getSubscriptionInfo(id))?.channels).toEqual(["home"]);
  });

  it("hides the channel's members from anyone without the role", async () => {
    await stream(OPS, "ada");
    const list = (user?: string) =>
      handlers.subscribers(
        new Request(`${origin}/event-subscribers?channels=${OPS}`, { headers: as(user) }),
      );
    expect((await list("bob")).status).toBe(403);
    expect((await list()).status).toBe(403);
    const members = (await (await list("ada")).json()) as { displayName: string }[];
    expect(members.map((m) => m.displayName)).toEqual(["ada"]);
  });

  it("keeps the channel out of everyone's listing but its role holders'", async () => {
    await stream(OPS, "ada");
    await stream("home", "ada");
    await stream("home", "bob");
    const list = async (user?: string) => {
      const response = await handlers.subscribers(
        new Request(`${origin}/event-subscribers`, { headers: as(user) }),
      );
      const listed = (await response.json()) as { displayName: string; channels: string }[];
      return listed.map((s) => `${s.displayName}:${s.channels}`).sort();
    };
    expect(await list("bob")).toEqual(["ada:home", "bob:home"]);
    expect(await list()).toEqual(["ada:home", "bob:home"]);
    expect(await list("ada")).toEqual(["ada:home", `ada:${OPS}`, "bob:home"]);
  });

  it("keeps the channel on a subscription of its own, so presence never shows it elsewhere", async () => {
    const mixed = await errorOf(await stream(`home,${OPS}`, "ada"));
    expect(mixed).toMatchObject({ status: 400, errors: [{ fieldName: "channels" }] });
    expect(mixed.message).toContain(`'${OPS}' must be the only channel of its subscription`);

    const change = async (id: string, body: object) =>
      handlers.updateSubscriber(
        new Request(`${origin}/event-subscribers/${id}`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-user": "ada" },
          body: JSON.stringify(body),
        }),
        id,
      );
    const idOf = async (channels: string) => {
      await stream(channels, "ada");
      return ((await open.at(-1)!.next()).body as { id: string }).id;
    };
    const operators = await idOf(OPS);
    expect((await change(operators, { subscribeChannels: ["home"] })).status).toBe(400);
    const home = await idOf("home");
    expect((await change(home, { subscribeChannels: [OPS] })).status).toBe(400);
    expect((await events.getSubscriptionInfo(home))?.channels).toEqual(["home"]);
    expect(
      (await change(home, { unsubscribeChannels: ["home"], subscribeChannels: [OPS] })).status,
    ).toBe(200);
    expect((await events.getSubscriptionInfo(home))?.channels).toEqual([OPS]);
  });

  it("is checked by services that publish, with the field they name", async () => {
    const request = new Request(`${origin}/channels/${OPS}/raw`, { headers: as("bob") });
    await expect(
      requireChannelAccess(handlers.context, request, [OPS], "publish to", "channel"),
    ).rejects.toMatchObject({
      status: 403,
      field: "channel",
      message: `Only 'admin' users may publish to channel '${OPS}'`,
    });
    await expect(
      requireChannelAccess(handlers.context, request, ["home"], "publish to", "channel"),
    ).resolves.toBeUndefined();
  });

  it("does not mistake inherited object keys for restricted channels", async () => {
    expect((await stream("constructor,toString,__proto__", "bob")).status).toBe(200);
  });
});
