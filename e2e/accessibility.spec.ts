import { AxeBuilder } from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures/users";
import { RENDERING } from "./fixtures/tags";
import { WINDOW_SIZES } from "./fixtures/window-sizes";
import { AdminPage } from "./pages/admin-page";
import { ChatPage } from "./pages/chat-page";
import { ShapesPage } from "./pages/shapes-page";

/** Serious and critical axe findings on the page as it is now (WCAG 2.1 A and AA rules). */
async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

for (const size of WINDOW_SIZES) {
  test.describe(`accessibility on a ${size.name}`, () => {
    test.use({ viewport: size.viewport });

    test(
      "every page has no serious or critical axe violation",
      RENDERING,
      async ({ guest, bob, room }) => {
        const page = guest.page;
        for (const path of ["/", "/signin", "/signup"]) {
          await page.goto(path);
          expect(await seriousViolations(page), path).toEqual([]);
        }

        // The chat with what a conversation brings: messages, a TV, an announcement, an error.
        const chat = await new ChatPage(page).open([room]);
        const bobChat = await bob.chat().open([room]);
        await chat.send("hello, anyone?");
        // The TV is remote control: a guest may not turn it on, a signed-in user may.
        await bobChat.send("/tv.watch Live from the lab");
        await expect(page.locator("#tv")).toBeVisible();
        await chat.send("/cmd.announce Standup in 5");
        await expect(chat.announcement).toBeVisible();
        await chat.sendRefused("/cmd.nope");
        expect(await seriousViolations(page), "/chat").toEqual([]);

        const shapes = await new ShapesPage(page).open();
        await shapes.draw("Circle", 60, 60);
        await new ShapesPage(bob.page).open();
        await shapes.watch("bob");
        await expect(shapes.mirror).toBeVisible();
        expect(await seriousViolations(page), "/shapes").toEqual([]);
      },
    );

    test(
      "the admin pages and the error pages have no serious or critical axe violation",
      RENDERING,
      async ({ ada, bob }) => {
        await new AdminPage(ada.page).open();
        expect(await seriousViolations(ada.page), "/admin").toEqual([]);
        await bob.page.goto("/account");
        expect(await seriousViolations(bob.page), "/account").toEqual([]);
        expect((await bob.page.goto("/admin"))?.status()).toBe(403);
        expect(await seriousViolations(bob.page), "403").toEqual([]);
        expect((await bob.page.goto("/no-such-page"))?.status()).toBe(404);
        expect(await seriousViolations(bob.page), "404").toEqual([]);
        // The app's own page, with its nav and a way back to the demos.
        await expect(
          bob.page.getByRole("heading", { name: "There is no page here" }),
        ).toBeVisible();
        await expect(
          bob.page.getByRole("main").getByRole("link", { name: "Open the chat" }),
        ).toBeVisible();
      },
    );

    test("Shapes works from the keyboard: add at a cursor, pick a shape and move it", async ({
      guest,
    }) => {
      const page = guest.page;
      const shapes = await new ShapesPage(page).open();
      await shapes.canvas.focus();
      await page.keyboard.press("Enter");
      await expect(shapes.canvas).toHaveAttribute("data-shape-count", "1");
      await page.keyboard.press("ArrowRight");
      await page.keyboard.press("Shift+ArrowDown");
      await page.keyboard.press("Enter");
      await expect(shapes.canvas).toHaveAttribute("data-shape-count", "2");
      const second = shapes.canvas.locator("[data-shape]").nth(1);
      await expect(second).toHaveAttribute("cx", "410");
      await expect(second).toHaveAttribute("cy", "300");

      // The toolbar's buttons take Enter too; then Enter picks a shape and arrows move it.
      await page.getByRole("button", { name: "Move" }).focus();
      await page.keyboard.press("Enter");
      await shapes.canvas.focus();
      await page.keyboard.press("Enter");
      const first = shapes.canvas.locator("[data-shape]").first();
      await expect(first).toHaveAttribute("data-picked", "true");
      await page.keyboard.press("ArrowLeft");
      await expect(first).toHaveAttribute("cx", "390");
      await expect(page.getByText("Moved to 390, 250")).toBeAttached();
    });

    test("the chat works from the keyboard", async ({ guest, room }) => {
      const page = guest.page;
      const chat = await new ChatPage(page).open([room]);
      // Enter in the channel box joins it; Enter in the composer sends.
      await page.getByRole("textbox", { name: "Channel to join" }).focus();
      await page.keyboard.type(`${room}-kb`);
      await page.keyboard.press("Enter");
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(`#${room}-kb`);
      await chat.input.focus();
      await page.keyboard.type("typed, not clicked");
      await page.keyboard.press("Enter");
      await expect(chat.message("typed, not clicked")).toBeVisible();
      // New messages are announced politely.
      await expect(chat.log).toHaveAttribute("aria-live", "polite");
      // Every channel button is reachable with Tab and chosen with Enter.
      await chat.channelButton(room).focus();
      await page.keyboard.press("Enter");
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(`#${room}`);
    });
  });
}
