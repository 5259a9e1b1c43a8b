import path from "node:path";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures/users";
import { AdminPage } from "./pages/admin-page";
import { WINDOW_SIZES } from "./fixtures/window-sizes";
import { ShapesPage } from "./pages/shapes-page";

/**
 * `E2E_SCREENSHOTS=1 npx playwright test -c playwright.cluster.config.ts screenshots` refreshes
 * docs/screenshots/ from two instances on Postgres (Bob on the second), so the dashboard shows
 * the cluster; without `-c …` they come from one instance.
 */
const dir = path.join(import.meta.dirname, "..", "docs", "screenshots");
test.skip(!process.env.E2E_SCREENSHOTS, "set E2E_SCREENSHOTS=1 to refresh docs/screenshots");

/** `chat.png` at desktop size, `chat-phone.png` at a phone's. */
async function shoot(page: Page, name: string, fullPage = false): Promise<void> {
  for (const size of WINDOW_SIZES) {
    await page.setViewportSize(size.viewport);
    // Layout follows the width (media and container queries) before the picture is taken.
    await expect(page.locator("body")).toHaveJSProperty("clientWidth", size.viewport.width);
    const suffix = size.isPhone ? "-phone" : "";
    await page.screenshot({ path: path.join(dir, `${name}${suffix}.png`), fullPage });
  }
}

// The dashboard first: its traffic chart then starts from an empty cluster.
test("screenshot of the operator dashboard, on a desktop and a phone", async ({
  ada,
  alice,
  bob,
  guest,
}, testInfo) => {
  await ada.page.setViewportSize({ width: 1280, height: 800 });
  const admin = await new AdminPage(ada.page).open();
  // Its traffic goes to #lobby: the chat screenshot below shows #home.
  const aliceChat = await alice.chat().open(["lobby", "home"]);
  await bob.chat().open(["home"]);
  await new ShapesPage(guest.page).open();
  const chartPoints = async () =>
    Number(await ada.page.getByTestId("traffic-chart").getAttribute("data-points"));
  // Traffic over several of the chart's samples, so it shows a curve rather than one spike.
  for (let round = 1; round <= 5; round++) {
    const points = await chartPoints();
    for (let i = 1; i <= round + 1; i++) await aliceChat.send(`Deploy check ${round}.${i}`);
    await expect.poll(chartPoints, { timeout: 15_000 }).toBeGreaterThan(points);
  }
  await expect.poll(() => admin.value("subscriptions")).toBeGreaterThanOrEqual(4);
  await expect.poll(() => admin.value("messagesPerSecond")).toBeGreaterThan(0);
  await expect(admin.subscriptionRow("alice")).toBeVisible();
  await ada.page.screenshot({ path: path.join(dir, "admin.png"), fullPage: true });

  await ada.page.setViewportSize({ width: 390, height: 844 });
  await ada.page.screenshot({ path: testInfo.outputPath("admin-phone.png"), fullPage: true });
});

test("screenshots of a conversation and a watched drawing", async ({ alice, bob, guest }) => {
  test.slow();
  const aliceChat = await alice.chat().open(["home", "lobby"]);
  const bobChat = await bob.chat().open(["home", "lobby"]);
  await guest.chat().open(["home"]);
  await aliceChat.send("Hi Bob! Did the deploy go out?");
  await bobChat.send("It did — two instances behind the load balancer, on Postgres.");
  await aliceChat.send(
    "Nice. The release notes, for the record: replay from Last-Event-ID on every provider, " +
      "ownership checks on every subscription, no frame injection, bounded memory per " +
      "subscriber, one shared stream per browser however many tabs, guests who keep their " +
      "name, direct conversations with unread badges, and a TV that never covers the log. " +
      "Postgres and Redis both carry the events between instances, and a late watcher " +
      "sees the current canvas at once.",
  );
  await aliceChat.send("/tv.watch Server Events ♥ Next.js");
  await aliceChat.send("@bob lunch after the standup?");
  await aliceChat.selectChannel("home");
  await aliceChat.send("/cmd.announce Standup in 5 minutes");
  await expect(bobChat.announcement).toBeVisible();
  await expect(bobChat.conversation("alice").getByTestId("unread")).toHaveText("1");
  await shoot(bob.page, "chat");

  const aliceShapes = await new ShapesPage(alice.page).open();
  await aliceShapes.draw("Circle", 160, 140);
  await aliceShapes.chooseColour("#ec4899");
  await aliceShapes.draw("Rectangle", 330, 200);
  await aliceShapes.chooseColour("#10b981");
  await aliceShapes.draw("Circle", 480, 120);
  const bobShapes = await new ShapesPage(bob.page).open();
  await bobShapes.draw("Rectangle", 200, 100);
  await bobShapes.watch("alice");
  await expect(bobShapes.mirror).toHaveAttribute("data-shape-count", "3");
  await shoot(bob.page, "shapes", true);
});
