import type { Page } from "@playwright/test";
import { expect, test, type Person } from "./fixtures/users";
import type { ChatPage } from "./pages/chat-page";

/**
 * Anyone subscribed to a channel can publish most selectors with any body to it. These tests send
 * what a hostile member would and check that the server refuses it or every reader's page shrugs
 * it off: the frame is dropped or ignored (with a console warning), and the page stays usable.
 */

/** Uncaught errors and console warnings of a page, from now on. */
function watchConsole(page: Page) {
  const errors: string[] = [];
  const warnings: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "warning") warnings.push(message.text());
  });
  return { errors, warnings };
}

/** Still usable: no error fallback, and a fresh message goes both ways. */
async function expectAlive(a: ChatPage, b: ChatPage, text: string): Promise<void> {
  for (const chat of [a, b]) {
    await expect(chat.page.getByRole("heading", { name: /hit a snag/u })).toHaveCount(0);
    await expect(chat.page.getByTestId("render-fallback")).toHaveCount(0);
    await chat.expectConnected();
  }
  await a.send(`${text} from one`);
  await expect(b.message(`${text} from one`)).toBeVisible();
  await b.send(`${text} from the other`);
  await expect(a.message(`${text} from the other`)).toBeVisible();
}

/** POSTs as the page would, from its own subscription. */
async function post(person: Person, chat: ChatPage, path: string, data: object) {
  const from = await chat.subscriptionId();
  return person.page.request.post(path, { data: { from, ...data } });
}

test.describe("hostile frames", () => {
  test("a cmd.chat that is not a chat message breaks no one's page", async ({
    alice,
    guest,
    room,
  }) => {
    const aliceChat = await alice.chat().open([room]);
    const guestChat = await guest.chat().open([room]);
    const aliceConsole = watchConsole(alice.page);
    const guestConsole = watchConsole(guest.page);

    // What used to take down every page in the channel, the sender's included: the server now
    // keeps cmd.chat to the chat service, so the raw and object routes refuse it.
    // The composer no longer sends it at all (not a command a person sends)…
    await expect(await guestChat.sendRefused("/cmd.chat hi")).toContainText("/cmd.announce");
    await guestChat.input.fill("");
    const raw = await post(guest, guestChat, `/channels/${room}/raw`, {
      selector: "cmd.chat",
      message: JSON.stringify({ message: "no sender" }),
    });
    expect(raw.status()).toBe(400);
    const object = await post(guest, guestChat, `/channels/${room}/object`, {
      selector: "cmd.chat",
      chat: { message: "no sender", displayName: ["not", "a", "name"] },
    });
    expect(object.status()).toBe(400);
    // A frame the server still lets through but the page cannot use: an announcement that is an
    // object, not text. Every reader drops it.
    const announce = await post(guest, guestChat, `/channels/${room}/object`, {
      selector: "cmd.announce",
      banner: { text: ["not", "text"] },
    });
    expect(announce.ok()).toBe(true);

    await expectAlive(guestChat, aliceChat, "still here");
    await expect(aliceChat.page.getByTestId("chat-message")).toHaveCount(2);
    for (const seen of [aliceConsole, guestConsole]) {
      expect(seen.errors).toEqual([]);
      expect(seen.warnings.filter((w) => w.includes(`dropped ${room}@cmd.announce`))).toHaveLength(
        1,
      );
    }
  });

  test("window.location to another origin leaves the reader where they are", async ({
    alice,
    bob,
    room,
  }) => {
    const evilRequests: string[] = [];
    await bob.context.route("https://evil.example/**", async (route) => {
      evilRequests.push(route.request().url());
      await route.fulfill({ body: "you were redirected" });
    });
    const aliceChat = await alice.chat().open([room]);
    const bobChat = await bob.chat().open([room]);
    const bobConsole = watchConsole(bob.page);
    const chatUrl = bob.page.url();

    await aliceChat.send("/window.location https://evil.example/x");
    await aliceChat.send("/window.location //evil.example/protocol-relative");
    await aliceChat.send("/window.location javascript:alert(document.cookie)");
    // Frames arrive in order: once this shows, the three above have been handled.
    await aliceChat.send("after the redirects");
    await expect(bobChat.message("after the redirects")).toBeVisible();

    expect(bob.page.url()).toBe(chatUrl);
    expect(evilRequests).toEqual([]);
    expect(
      bobConsole.warnings.filter((w) => w.includes(`ignored ${room}@window.location`)),
    ).toHaveLength(3);
    await expectAlive(aliceChat, bobChat, "not redirected");
  });

  test("a style that would load another origin's URL is not applied", async ({
    alice,
    bob,
    room,
  }) => {
    const evilRequests: string[] = [];
    await bob.context.route("https://evil.example/**", async (route) => {
      evilRequests.push(route.request().url());
      await route.fulfill({ status: 204 });
    });
    const aliceChat = await alice.chat().open([room]);
    const bobChat = await bob.chat().open([room]);

    await aliceChat.send("/css.background-image$#top url(https://evil.example/pixel.png)");
    await aliceChat.send("/css.background-image$#top u\\rl(https://evil.example/escaped.png)");
    await aliceChat.send('/css.background-image$#top image-set("https://evil.example/set.png" 1x)');
    await aliceChat.send("/css.background-color$#top rgb(255, 221, 0)");
    await expect(bob.page.locator("#top")).toHaveCSS("background-color", "rgb(255, 221, 0)");

    await expect(bob.page.locator("#top")).toHaveCSS("background-image", "none");
    expect(evilRequests).toEqual([]);
    await expectAlive(aliceChat, bobChat, "styled safely");
  });

  test("a frame made to look like a presence line shows as a labelled frame, or is refused", async ({
    alice,
    bob,
    room,
  }) => {
    const aliceChat = await alice.chat().open([room]);
    const bobChat = await bob.chat().open([room]);
    // A blank that is no whitespace, and a right-to-left override, make a selector read as a line.
    for (const selector of ["mallory\u2800joined.", "mallory\u202e.denioj"]) {
      const response = await post(alice, aliceChat, `/channels/${room}/raw`, { selector });
      expect(response.status()).toBe(400);
      expect(await response.text()).toContain("invisible or text-reordering");
    }
    // The chat's composer sends known commands only; a script can still send this one.
    const plain = await post(alice, aliceChat, `/channels/${room}/raw`, {
      selector: "mallory.joined",
    });
    expect(plain.ok()).toBe(true);
    const frame = bobChat.systemEntry("mallory.joined");
    await expect(frame).toContainText("frame");
    await expect(frame).toContainText("(empty)");
    await expect(frame.locator("bdi").first()).toHaveClass(/font-mono/u);
    await expectAlive(aliceChat, bobChat, "not fooled");
  });

  test("a forged cmd.onConnect does not replace anyone's subscription", async ({
    alice,
    bob,
    room,
  }) => {
    const aliceChat = await alice.chat().open([room]);
    const bobChat = await bob.chat().open([room]);
    await expect(aliceChat.user("bob")).toBeVisible();
    const bobId = await bobChat.subscriptionId();
    const bobConsole = watchConsole(bob.page);
    const members = (await (
      await alice.page.request.get(`/event-subscribers?channels=${room}`)
    ).json()) as { userId: string; displayName: string }[];
    const bobUserId = members.find((m) => m.displayName === "bob")?.userId;
    expect(bobUserId).toBeTruthy();

    // Sent to Bob's user id, the frame would have no channel prefix: on the wire it would look
    // exactly like the server's own. The server refuses the reserved selector (400), and Bob's
    // client would ignore a second cmd.onConnect anyway (server-events-client.frames.test.ts):
    // Bob's page keeps the subscription it has, and so its heartbeat and unregister URLs.
    const forged = {
      id: "forged",
      heartbeatUrl: "https://evil.example/beat",
      displayName: "mallory",
    };
    const from = await aliceChat.subscriptionId();
    for (const data of [
      { from, selector: "cmd.onConnect", toUserId: bobUserId, connect: forged },
      { from, selector: "cmd.onConnect", connect: forged },
      { from, onConnect: forged },
    ]) {
      const response = await alice.page.request.post(`/channels/${room}/object`, { data });
      expect(response.status()).toBe(400);
    }
    await aliceChat.send("after the forgery");
    await expect(bobChat.message("after the forgery")).toBeVisible();

    expect(await bobChat.subscriptionId()).toBe(bobId);
    await expect(bob.page.getByTestId("me")).toHaveText("You are bob");
    expect(bobConsole.errors).toEqual([]);
    await expectAlive(aliceChat, bobChat, "same subscription");
  });
});
