import { expect, test } from "./fixtures/users";
import { WINDOW_SIZES } from "./fixtures/window-sizes";
import { signUpOrIn } from "./pages/auth-pages";
import { ChatPage } from "./pages/chat-page";
import { ShapesPage } from "./pages/shapes-page";

/** One browser is one person: a guest keeps their name, and every tab agrees on who and where. */
for (const size of WINDOW_SIZES) {
  test.describe(`on a ${size.name}`, () => {
    test.use({ viewport: size.viewport });

    test("a first visit makes you a guest who keeps their name on every page, tab and reload", async ({
      browser,
      baseURL,
      room,
    }) => {
      const context = await browser.newContext({ baseURL, viewport: size.viewport });
      const page = await context.newPage();
      const chat = await new ChatPage(page).open([room]);
      expect((await context.cookies()).map((c) => c.name)).toContain("se-guest");
      const name = await chat.myName();
      expect(name).toMatch(/^user\d{5}$/u);
      await chat.showUsers();
      await expect(chat.user(name)).toContainText("(you)");

      await page.reload();
      expect(await chat.myName()).toBe(name);
      expect(await (await new ShapesPage(page).open()).myName()).toBe(name);

      const other = await new ChatPage(await context.newPage()).open([room]);
      expect(await other.myName()).toBe(name);
      // Both tabs are one person, on one shared stream.
      await other.showUsers();
      await expect(other.user(name)).toHaveAttribute("data-count", "1");
      await context.close();
    });

    test("tabs agree on joined channels, the person and the connection", async ({
      guest,
      room,
    }) => {
      const [a, b] = [guest.chat(), guest.chat(await guest.newTab())];
      await a.open([room]);
      await b.open([room]);
      const lobby = `${room}-lobby`;
      await a.joinChannel(lobby);
      await expect(b.channelButton(lobby)).toBeVisible();
      await b.page.getByRole("button", { name: `Leave #${lobby}` }).click();
      await expect(a.channelButton(lobby)).toHaveCount(0);
      await expect(a.page.getByRole("heading", { level: 1 })).toHaveText(`#${room}`);
      expect(await b.myName()).toBe(await a.myName());
      await expect(b.connection).toHaveAttribute("data-state", "open");

      // Signing in in a third tab makes the others that person too.
      await signUpOrIn(await guest.newTab(), "alice");
      await expect(a.page.getByTestId("me")).toHaveText("You are alice");
      await expect(b.page.getByTestId("me")).toHaveText("You are alice");
    });
  });
}

test("seeing links to the demos does not make you a guest; opening one does", async ({
  browser,
  baseURL,
}) => {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await page.goto("/");
  // Every link is in view and the router has fetched what it prefetches.
  await page.waitForLoadState("networkidle");
  expect((await context.cookies()).map((c) => c.name)).not.toContain("se-guest");

  await page.getByRole("link", { name: "Open the chat" }).click();
  const chat = new ChatPage(page);
  expect(await chat.myName()).toMatch(/^user\d{5}$/u);
  expect((await context.cookies()).map((c) => c.name)).toContain("se-guest");
  await context.close();
});
