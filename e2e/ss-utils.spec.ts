import { randomBytes } from "node:crypto";
import { test as base, expect } from "@playwright/test";
import { startNextServer, type NextServer } from "./api/support/next-server";
import { openSse, type SseStream } from "./api/support/sse";
import { SsUtilsPage } from "./pages/ss-utils-page";

/**
 * ServiceStack's jQuery client, `ss-utils` (npm 0.1.9 with jQuery 3.7.1), in Chromium against our
 * server, unchanged: handlers, receivers, triggers, `css.*`, heartbeats, channel changes and
 * presence (docs/protocol.md, "Client compatibility").
 *
 * The file starts its own server from the build: heartbeats every second and a 5-second idle
 * timeout, so that outliving the timeout takes seconds, and remote control (`css.*`, `window.*`)
 * open to the anonymous subscriptions ss-utils opens, as in ServiceStack's own test host.
 */
const HEARTBEAT_INTERVAL_MS = 1_000;
const IDLE_TIMEOUT_MS = 5_000;

let server: NextServer | undefined;

base.beforeAll(async () => {
  server = await startNextServer({
    env: {
      AUTH_SECRET: process.env.AUTH_SECRET ?? "e2e-secret-at-least-32-characters-long!!",
      AUTH_TRUST_HOST: "true",
      LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
      SSE_HEARTBEAT_INTERVAL_MS: String(HEARTBEAT_INTERVAL_MS),
      SSE_IDLE_TIMEOUT_MS: String(IDLE_TIMEOUT_MS),
      SSE_HOUSEKEEPING_INTERVAL_MS: "500",
      SSE_LIMIT_REMOTE_CONTROL_TO_AUTHENTICATED_USERS: "false",
    },
  });
});

base.afterAll(async () => {
  await server?.stop();
});

interface Fixtures {
  baseUrl: string;
  /** Opens an ss-utils client on `channels`, each in its own browser context. */
  open: (channels: string[]) => Promise<SsUtilsPage>;
  /** A channel name unique to the test. */
  room: string;
}

const test = base.extend<Fixtures>({
  baseUrl: async ({}, provide) => {
    if (!server) throw new Error("the server did not start");
    await provide(server.baseUrl);
  },
  open: async ({ browser, baseUrl }, provide) => {
    const clients: SsUtilsPage[] = [];
    await provide(async (channels) => {
      const client = await SsUtilsPage.open(browser, baseUrl, channels);
      clients.push(client);
      return client;
    });
    // ss-utils throws on a frame it cannot parse, and a failed heartbeat is a console error.
    for (const client of clients) expect(client.errors, client.info?.displayName).toEqual([]);
    await Promise.all(clients.map((client) => client.close()));
  },
  room: async ({}, provide) => {
    await provide(`ss-${randomBytes(6).toString("hex")}`);
  },
});

test("onConnect gives ss-utils the id, the absolute URLs and string values", async ({
  open,
  baseUrl,
  room,
}) => {
  const client = await open([room, `${room}-b`]);
  const { info } = client;

  await expect(client.me).toHaveText(/^user\d+$/u);
  expect(info.displayName).toBe(await client.me.textContent());
  expect(info.id).toMatch(/^[A-Za-z0-9_-]{20}$/u);
  expect(info.heartbeatUrl).toBe(`${baseUrl}/event-heartbeat?id=${info.id}`);
  expect(info.unRegisterUrl).toBe(`${baseUrl}/event-unregister?id=${info.id}`);
  expect(info.updateSubscriberUrl).toBe(`${baseUrl}/event-subscribers/${info.id}`);
  expect(info).toMatchObject({
    isAuthenticated: "false",
    channels: `${room},${room}-b`,
    heartbeatIntervalMs: String(HEARTBEAT_INTERVAL_MS),
    idleTimeoutMs: String(IDLE_TIMEOUT_MS),
  });
  for (const [key, value] of Object.entries(info)) expect(typeof value, key).toBe("string");

  // ss-utils keeps the channels, the URL to reconnect to and the one to POST channel changes to.
  expect(await client.ssState()).toEqual({
    eventChannels: [room, `${room}-b`],
    eventSourceUrl: `${baseUrl}/event-stream?channels=${room},${room}-b`,
    updateSubscriberUrl: info.updateSubscriberUrl,
  });
  // Its own onJoin, once per channel, prefixed with the channel.
  await expect(client.user(info.displayName)).toBeVisible();
  await expect
    .poll(async () => (await client.calls("onJoin")).map((call) => call.channel))
    .toEqual([room, `${room}-b`]);
});

test("cmd.* messages reach the handlers, bound to the $selector's element", async ({
  open,
  room,
}) => {
  const client = await open([room]);

  await client.publish("PostChatToChannel", { channel: room, message: "hello from ss-utils" });
  await expect(client.chat).toHaveText(`${client.info.displayName}: hello from ss-utils`);

  await client.raw(room, "cmd.announce", "Standup in 5");
  await expect(client.announce).toHaveText("Standup in 5");

  await client.raw(room, "cmd.paint$#top", "painted");
  await expect(client.top).toHaveText("painted");

  // An empty body: `cmd.toggle$#panel ` with the space, parsed by ss-utils as a null message.
  await client.raw(room, "cmd.toggle$#panel", null);
  await expect(client.panel).toBeHidden();

  const calls = await client.calls();
  expect(calls.find((call) => call.handler === "chat")).toMatchObject({
    channel: room,
    selector: "cmd.chat",
    self: "body",
  });
  expect(calls.find((call) => call.handler === "paint")).toMatchObject({ self: "top" });
  expect(calls.find((call) => call.handler === "toggle")).toMatchObject({
    msg: null,
    self: "panel",
    selector: "cmd.toggle$#panel",
  });
  // onMessage fires after every message, presence and onConnect included.
  const messages = calls.filter(
    (call) => call.handler === "onMessage" && call.selector !== "cmd.onHeartbeat",
  );
  expect(messages.map((call) => call.selector)).toEqual([
    "cmd.onConnect",
    "cmd.onJoin",
    "cmd.chat",
    "cmd.announce",
    "cmd.paint$#top",
    "cmd.toggle$#panel",
  ]);
});

test("named receivers: tv.watch and tv.off from `receivers`, document and window from $.ss.eventReceivers", async ({
  open,
  room,
}) => {
  const client = await open([room]);

  await client.raw(room, "tv.watch", "https://example.org/cat.png");
  await expect(client.tv).toBeVisible();
  await expect(client.tv).toHaveText("https://example.org/cat.png");

  await client.raw(room, "tv.off", null);
  await expect(client.tv).toBeHidden();

  // With a $selector, `this` is that element instead of the receiver.
  await client.raw(room, "tv.watch$#tv-side", "on the side");
  await expect(client.tvSide).toHaveText("on the side");
  await expect(client.tv).toBeHidden();

  // A target that is not a function is a property to set.
  await client.raw(room, "document.title", "Set by the server");
  await expect(client.page).toHaveTitle("Set by the server");

  await client.raw(room, "window.location", "#set-by-the-server");
  await expect(client.page).toHaveURL(/#set-by-the-server$/u);
});

test("trigger.* raises jQuery events on document or on the $selector's element", async ({
  open,
  room,
}) => {
  const client = await open([room]);

  await client.raw(room, "trigger.customEvent", "hi");
  await expect(client.triggered.getByRole("listitem")).toHaveText(["document: hi"]);

  // Triggered on #top, it bubbles up to the listener on document.
  await client.raw(room, "trigger.customEvent$#top", "there");
  await expect(client.triggered.getByRole("listitem")).toHaveText(["document: hi", "top: there"]);
});

test("css.* sets a style on the $selector's elements, or on body; %20 is a space", async ({
  open,
  room,
}) => {
  const client = await open([room]);

  await client.raw(room, "css.background-color$#top", "pink");
  await expect(client.top).toHaveCSS("background-color", "rgb(255, 192, 203)");

  await client.raw(room, "css.color$#top%20.label", "blue");
  await expect(client.top.locator(".label")).toHaveCSS("color", "rgb(0, 0, 255)");

  await client.raw(room, "css.border-top-style", "dashed");
  await expect(client.page.locator("body")).toHaveCSS("border-top-style", "dashed");
  await expect(client.top).not.toHaveCSS("border-top-style", "dashed");
});

test("onJoin and onLeave keep the member list live; /event-subscribers lists the members", async ({
  open,
  room,
}) => {
  const alice = await open([room]);
  const bob = await open([room]);

  await expect(alice.user(bob.info.displayName)).toBeVisible();
  await expect(alice.users.getByRole("listitem")).toHaveCount(2);
  const [bobJoined] = (await alice.calls("onJoin")).filter(
    (call) => (call.msg as { displayName: string }).displayName === bob.info.displayName,
  );
  expect(bobJoined).toMatchObject({ channel: room, selector: "cmd.onJoin" });
  // Presence never carries the subscription id.
  expect(JSON.stringify(bobJoined?.msg)).not.toContain(bob.info.id);

  // Bob joined after Alice: he learns of her the way ServiceStack's Chat app does.
  expect((await bob.subscribers([room])).map((member) => member.displayName).sort()).toEqual(
    [alice.info.displayName, bob.info.displayName].sort(),
  );

  await bob.close();
  await expect(alice.user(bob.info.displayName)).toBeHidden();
  await expect(alice.user(alice.info.displayName)).toBeVisible();
  const [bobLeft] = await alice.calls("onLeave");
  expect(bobLeft).toMatchObject({
    channel: room,
    selector: "cmd.onLeave",
    msg: { displayName: bob.info.displayName },
  });
});

test("$.ss.subscribeToChannels and unsubscribeFromChannels change channels live; others see onUpdate", async ({
  open,
  room,
}) => {
  const other = `${room}-other`;
  const alice = await open([room]);
  const bob = await open([room]);

  expect(await alice.subscribeToChannels([other])).toEqual([room, other]);
  await expect
    .poll(async () => (await bob.calls("onUpdate")).map((call) => call.msg))
    .toEqual([
      expect.objectContaining({
        displayName: alice.info.displayName,
        channels: `${room},${other}`,
      }),
    ]);
  expect((await bob.calls("onUpdate"))[0]?.channel).toBe(room);

  await bob.raw(other, "cmd.announce", "to the other channel");
  await expect(alice.announce).toHaveText("to the other channel");

  expect(await alice.unsubscribeFromChannels([room])).toEqual([other]);
  await expect
    .poll(async () => (await bob.calls("onUpdate")).map((call) => call.msg))
    .toContainEqual(
      expect.objectContaining({ displayName: alice.info.displayName, channels: other }),
    );
  expect((await alice.ssState()).eventChannels).toEqual([other]);
  expect((await alice.ssState()).eventSourceUrl).toMatch(
    new RegExp(`/event-stream\\?channels=${other}$`, "u"),
  );

  // One stream, in order: had the message to `room` reached Alice, it would come first.
  await bob.raw(room, "cmd.announce", "to the channel she left");
  await bob.raw(other, "cmd.announce", "after she left");
  await expect(alice.announce).toHaveText("after she left");
  expect((await alice.calls("announce")).map((call) => call.msg)).toEqual([
    "to the other channel",
    "after she left",
  ]);
  // The same subscription throughout: ss-utils never had to reconnect.
  expect(await alice.calls("onConnect")).toHaveLength(1);
});

test("heartbeats keep the subscription past the idle timeout; a silent one expires", async ({
  open,
  baseUrl,
  room,
}) => {
  const client = await open([room]);
  // A subscriber that never sends a heartbeat, opened after the page.
  const silent: SseStream = await openSse(`${baseUrl}/event-stream?channels=${room}`);
  try {
    const [connect] = await silent.until("cmd.onConnect");
    const silentName = (JSON.parse(connect?.json ?? "{}") as { displayName: string }).displayName;
    await expect(client.user(silentName)).toBeVisible();

    // It expires after the idle timeout: the page sees it leave.
    await expect(client.user(silentName)).toBeHidden({ timeout: IDLE_TIMEOUT_MS * 4 });
    await silent.ended;
  } finally {
    silent.close();
  }

  // The page, connected before it, is still there, on the same subscription.
  const [connected] = await client.calls("onConnect");
  const [lastLeave] = (await client.calls("onLeave")).slice(-1);
  expect((lastLeave?.at ?? 0) - (connected?.at ?? 0)).toBeGreaterThan(IDLE_TIMEOUT_MS);
  expect(await client.calls("onConnect")).toHaveLength(1);
  await client.raw(room, "cmd.announce", "still here");
  await expect(client.announce).toHaveText("still here");
  expect((await client.subscribers([room])).map((member) => member.displayName)).toEqual([
    client.info.displayName,
  ]);

  // ss-utils POSTs to heartbeatUrl with no body; each is answered 200 and cmd.onHeartbeat arrives.
  expect(client.heartbeats.length).toBeGreaterThanOrEqual(3);
  for (const heartbeat of client.heartbeats)
    expect(heartbeat).toEqual({
      method: "POST",
      url: client.info.heartbeatUrl,
      status: 200,
      body: null,
    });
  expect((await client.calls("onHeartbeat")).length).toBeGreaterThanOrEqual(3);
});
