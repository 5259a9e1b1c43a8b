import { openSse, type SseStream } from "./api/support/sse";
import { expect, test, IDLE_TIMEOUT_MS } from "./fixtures/ss-utils";

/**
 * ServiceStack's jQuery client, `ss-utils`, in Chromium against our server, unchanged: presence,
 * channel changes and heartbeats (docs/protocol.md, "Client compatibility"). The server is
 * e2e/fixtures/ss-utils.ts's: heartbeats every second and a 5-second idle timeout.
 */

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
