import { expect, test } from "./fixtures/users";

test.describe("chat", () => {
  test("Alice and Bob see each other join and leave", async ({ alice, bob, room }) => {
    const aliceChat = await alice.chat().open([room]);
    await expect(aliceChat.user("alice")).toBeVisible();
    const bobChat = await bob.chat().open([room]);
    await expect(aliceChat.user("bob")).toBeVisible();
    await expect(bobChat.user("alice")).toBeVisible();
    await expect(aliceChat.systemEntry("bob joined")).toBeVisible();

    await bob.page.close();
    await expect(aliceChat.user("bob")).toHaveCount(0);
    await expect(aliceChat.systemEntry("bob left")).toBeVisible();
  });

  test("a channel message reaches everyone in the channel and no one outside", async ({
    alice,
    bob,
    guest,
    room,
  }) => {
    const aliceChat = await alice.chat().open([room]);
    const bobChat = await bob.chat().open([room]);
    const guestChat = await guest.chat().open([`${room}-elsewhere`]);

    await aliceChat.send("Hello channel");
    await expect(bobChat.message("Hello channel")).toBeVisible();
    await expect(aliceChat.message("Hello channel")).toBeVisible();

    // A later message in the guest's own channel proves the guest's stream is live.
    await guestChat.send("Anyone here?");
    await expect(guestChat.message("Anyone here?")).toBeVisible();
    await expect(guestChat.message("Hello channel")).toHaveCount(0);
  });

  test("@bob reaches all of Bob's tabs and no one else's", async ({ alice, bob, guest, room }) => {
    const aliceChat = await alice.chat().open([room]);
    const guestChat = await guest.chat().open([room]);
    const bobTabs = [bob.chat(), bob.chat(await bob.newTab()), bob.chat(await bob.newTab())];
    for (const tab of bobTabs) await tab.open([room]);
    // One shared stream per browser: Bob counts once, whatever his number of tabs.
    await expect(aliceChat.user("bob")).toHaveAttribute("data-count", "1");

    await aliceChat.send("@bob psst, only for you");
    // It lives in a direct conversation, with an unread badge, not in the channel's view.
    await expect(aliceChat.page.getByRole("heading", { level: 1 })).toHaveText("@bob");
    await expect(aliceChat.message("psst, only for you")).toBeVisible();
    for (const tab of bobTabs) {
      await expect(tab.conversation("alice").getByTestId("unread")).toHaveText("1");
      await expect(tab.message("psst")).toHaveCount(0);
    }
    await bobTabs[0]!.openConversation("alice");
    await expect(bobTabs[0]!.message("psst, only for you")).toBeVisible();
    await aliceChat.selectChannel(room);

    await aliceChat.send("back to everyone");
    await expect(guestChat.message("back to everyone")).toBeVisible();
    await expect(guestChat.message("psst")).toHaveCount(0);
  });

  test("@me sends a private note to yourself", async ({ alice, room }) => {
    const aliceChat = await alice.chat().open([room]);
    await aliceChat.send("@me remember the milk");
    await expect(aliceChat.conversation("me")).toHaveAttribute("aria-current", "true");
    await expect(aliceChat.message("remember the milk")).toBeVisible();
  });

  test("announce, css, trigger, toggle and tv commands take effect", async ({
    alice,
    bob,
    room,
  }) => {
    const aliceChat = await alice.chat().open([room]);
    const bobChat = await bob.chat().open([room]);

    await aliceChat.send("/cmd.announce Welcome aboard");
    // Anyone may announce: the banner does not claim to be the operators'.
    await expect(bobChat.announcement).toHaveText("Welcome aboard");

    await aliceChat.send("/css.background-color$#top rgb(255, 221, 0)");
    await expect(bob.page.locator("#top")).toHaveCSS("background-color", "rgb(255, 221, 0)");

    await aliceChat.send("/trigger.customEvent fired by alice");
    await expect(bobChat.systemEntry("trigger.customEvent fired")).toContainText("fired by alice");

    await aliceChat.send("/cmd.toggle$#channels");
    await expect(bob.page.locator("#channels")).toBeHidden();

    await aliceChat.send("/tv.watch Live from the lab");
    await expect(bob.page.getByTestId("tv-text")).toHaveText("Live from the lab");

    // YouTube links play embedded, from the privacy-enhanced host the page's CSP allows.
    await aliceChat.send("/tv.watch https://youtu.be/dQw4w9WgXcQ");
    await expect(bob.page.locator("#tv iframe")).toHaveAttribute(
      "src",
      "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
    );
  });

  test("recent history is shown on join", async ({ alice, bob, room }) => {
    const aliceChat = await alice.chat().open([room]);
    await aliceChat.send("first!");
    await aliceChat.send("second");
    await expect(aliceChat.message("second")).toBeVisible();

    const bobChat = await bob.chat().open([room]);
    await expect(bobChat.message("first!")).toBeVisible();
    await expect(bobChat.message("second")).toBeVisible();
  });

  test("channels can be joined and switched live", async ({ alice, bob, room }) => {
    const lobby = `${room}-lobby`;
    const aliceChat = await alice.chat().open([room]);
    const bobChat = await bob.chat().open([lobby]);
    await expect(bobChat.user("alice")).toHaveCount(0);

    await aliceChat.joinChannel(lobby);
    await expect(alice.page).toHaveURL(new RegExp(`channels=${room},${lobby}$`));
    await expect(bobChat.user("alice")).toBeVisible();
    await aliceChat.send("made it to the lobby");
    await expect(bobChat.message("made it to the lobby")).toBeVisible();

    await aliceChat.selectChannel(room);
    await expect(aliceChat.message("made it to the lobby")).toHaveCount(0);
    await aliceChat.send("back home");
    await expect(bobChat.message("back home")).toHaveCount(0);
    await expect(aliceChat.channelButton(lobby)).toBeVisible();
  });

  test("a guest can chat but cannot act on Alice's subscription", async ({
    alice,
    guest,
    room,
  }) => {
    const aliceChat = await alice.chat().open([room]);
    const guestChat = await guest.chat().open([room]);
    await guestChat.send("hi from a guest");
    await expect(aliceChat.message("hi from a guest")).toBeVisible();

    const aliceSubscription = await aliceChat.subscriptionId();
    expect(aliceSubscription).not.toBe("");
    const forged = await guest.page.request.post(`/channels/${room}/chat`, {
      data: { from: aliceSubscription, message: "I am alice" },
    });
    expect(forged.status()).toBe(403);
    const heartbeat = await guest.page.request.post(`/event-heartbeat?id=${aliceSubscription}`);
    expect(heartbeat.status()).toBe(403);
  });
});
