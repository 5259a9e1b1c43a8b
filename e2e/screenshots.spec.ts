import path from "node:path";
import { expect, test } from "./fixtures/users";
import { AdminPage } from "./pages/admin-page";
import { ShapesPage } from "./pages/shapes-page";

/** `E2E_SCREENSHOTS=1 npx playwright test screenshots` refreshes docs/screenshots/. */
const dir = path.join(import.meta.dirname, "..", "docs", "screenshots");
test.skip(!process.env.E2E_SCREENSHOTS, "set E2E_SCREENSHOTS=1 to refresh docs/screenshots");

test("screenshots of a conversation and a watched drawing", async ({ alice, bob, guest }) => {
  await alice.page.setViewportSize({ width: 1280, height: 800 });
  await bob.page.setViewportSize({ width: 1280, height: 800 });
  const aliceChat = await alice.chat().open(["home", "lobby"]);
  const bobChat = await bob.chat().open(["home", "lobby"]);
  await guest.chat().open(["home"]);
  await aliceChat.send("Hi Bob! Did the deploy go out?");
  await bobChat.send("It did — two instances behind the load balancer, on Postgres.");
  await aliceChat.send("Nice. Watch this:");
  await aliceChat.send("/tv.watch Server Events ♥ Next.js");
  await bobChat.send("@alice that TV works offline too 😄");
  await aliceChat.send("/cmd.announce Standup in 5 minutes");
  await expect(bobChat.announcement).toBeVisible();
  await expect(bobChat.message("that TV works offline")).toBeVisible();
  await bob.page.screenshot({ path: path.join(dir, "chat.png") });

  const aliceShapes = await new ShapesPage(alice.page).open();
  await aliceShapes.draw("Circle", 160, 140);
  await aliceShapes.page.getByRole("button", { name: "Colour #ec4899" }).click();
  await aliceShapes.draw("Rectangle", 330, 200);
  await aliceShapes.page.getByRole("button", { name: "Colour #10b981" }).click();
  await aliceShapes.draw("Circle", 480, 120);
  const bobShapes = await new ShapesPage(bob.page).open();
  await bobShapes.draw("Rectangle", 200, 100);
  await bobShapes.watch("alice");
  await expect(bobShapes.mirror).toHaveAttribute("data-shape-count", "3");
  await bob.page.screenshot({ path: path.join(dir, "shapes.png"), fullPage: true });
});

test("screenshot of the operator dashboard, on a desktop and a phone", async ({
  ada,
  alice,
  bob,
  guest,
}, testInfo) => {
  await ada.page.setViewportSize({ width: 1280, height: 800 });
  const admin = await new AdminPage(ada.page).open();
  const aliceChat = await alice.chat().open(["home", "lobby"]);
  await bob.chat().open(["home"]);
  await new ShapesPage(guest.page).open();
  for (let i = 1; i <= 12; i++) await aliceChat.send(`Deploy check ${i}`);
  await expect.poll(() => admin.value("subscriptions")).toBeGreaterThanOrEqual(4);
  await expect.poll(() => admin.value("messagesPerSecond")).toBeGreaterThan(0);
  await expect(admin.subscriptionRow("alice")).toBeVisible();
  // A few points, so the chart shows lines rather than dots.
  await expect
    .poll(async () =>
      Number(await ada.page.getByTestId("traffic-chart").getAttribute("data-points")),
    )
    .toBeGreaterThanOrEqual(4);
  await ada.page.screenshot({ path: path.join(dir, "admin.png"), fullPage: true });

  await ada.page.setViewportSize({ width: 390, height: 844 });
  await ada.page.screenshot({ path: testInfo.outputPath("admin-phone.png"), fullPage: true });
});
