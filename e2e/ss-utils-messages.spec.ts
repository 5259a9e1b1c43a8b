import { expect, test, HEARTBEAT_INTERVAL_MS, IDLE_TIMEOUT_MS } from "./fixtures/ss-utils";

/**
 * ServiceStack's jQuery client, `ss-utils` (npm 0.1.9 with jQuery 3.7.1), in Chromium against our
 * server, unchanged: what onConnect gives it, and handlers, receivers, triggers and `css.*`
 * (docs/protocol.md, "Client compatibility"). The server is e2e/fixtures/ss-utils.ts's.
 */

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
