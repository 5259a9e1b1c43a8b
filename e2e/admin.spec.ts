import type { Page } from "@playwright/test";
import { CREDENTIALS_CHANNEL } from "@/app/_server/credential-changes";
import { ADMIN_CHANNEL, INSTANCE_REPORT_SELECTOR } from "@/lib/admin/admin-channel";
import { expect, test } from "./fixtures/users";
import { AdminPage } from "./pages/admin-page";
import { tryChannel } from "./pages/channel-probe";
import { E2E_PASSWORD } from "./pages/auth-pages";
import { ShapesPage } from "./pages/shapes-page";

/** What the server itself counts (the shared store on Postgres and Redis). */
async function serverCount(page: Page): Promise<number> {
  const response = await page.request.get("/api/GetAdminOverview");
  expect(response.status()).toBe(200);
  return ((await response.json()) as { subscriptionCount: number }).subscriptionCount;
}

test.describe("admin dashboard", () => {
  test("an admin watches the counts rise as streams open and fall as they close", async ({
    ada,
    bob,
    guest,
    room,
    bobBaseURL,
  }) => {
    const admin = await new AdminPage(ada.page).open();
    // In the cluster run Bob browses instance B: his stream must count on A's dashboard too.
    await expect(admin.total("Instances")).toHaveText(bobBaseURL ? "2" : "1");
    // Settled once the live total agrees with the server's own count (Ada's stream included).
    await expect
      .poll(async () => (await admin.value("subscriptions")) === (await serverCount(ada.page)))
      .toBe(true);
    const before = await admin.value("subscriptions");

    const bobChat = await bob.chat().open([room]);
    await new ShapesPage(guest.page).open();
    await expect.poll(() => admin.value("subscriptions")).toBe(before + 2);
    await expect(admin.channelRow(room)).toContainText("1");

    for (const text of ["one", "two", "three"]) await bobChat.send(text);
    await expect.poll(() => admin.value("messagesPerSecond")).toBeGreaterThan(0);

    await bob.page.close();
    await expect.poll(() => admin.value("subscriptions")).toBe(before + 1);
    await expect(admin.channelRow(room)).toHaveCount(0);
    await guest.page.close();
    await expect.poll(() => admin.value("subscriptions")).toBe(before);
    await expect(ada.page.getByTestId("traffic-chart")).toBeVisible();
  });

  test("an admin disconnects someone, announces, and is told when a subscription already left", async ({
    ada,
    bob,
    room,
  }) => {
    const bobChat = await bob.chat().open([room]);
    const admin = await new AdminPage(ada.page).open();
    const bobsRow = admin.subscriptionRow("bob");
    await expect(bobsRow).toBeVisible();
    await expect(bobsRow).toContainText(room);

    await admin.page.getByRole("textbox", { name: "Channel" }).fill(room);
    await admin.page.getByRole("textbox", { name: "Message" }).fill("Maintenance in 5 minutes");
    await admin.confirm(admin.page.getByRole("button", { name: "Send announcement" }), "Send");
    await expect(bobChat.announcement).toContainText("Maintenance in 5 minutes");
    await expect(bobChat.announcement).toContainText("From the operators");

    const overview = (await (await ada.page.request.get("/api/GetAdminOverview")).json()) as {
      newestSubscriptions: { handle: string; displayName: string }[];
    };
    const handle = overview.newestSubscriptions.find((row) => row.displayName === "bob")!.handle;
    await admin.confirm(bobsRow.getByRole("button", { name: "Unregister" }), "Unregister");
    await expect(admin.notice).toHaveText("bob was disconnected");
    // That subscription is gone; Bob's tab may already be back with a new one.
    await expect(admin.subscriptionRowByHandle(handle)).toHaveCount(0);

    // The same subscription again, as a second click or a second admin would: a clear 404.
    const again = await ada.page.request.post("/api/AdminUnRegisterSubscription", {
      data: { handle },
    });
    expect(again.status()).toBe(404);
    expect(await again.json()).toMatchObject({
      responseStatus: { message: "That subscription has already left" },
    });
  });

  test("on a phone, every table fits the screen and a subscription can be disconnected without scrolling sideways", async ({
    ada,
    bob,
    room,
  }) => {
    await ada.page.setViewportSize({ width: 390, height: 844 });
    await bob.chat().open([room]);
    const admin = await new AdminPage(ada.page).open();
    const bobsRow = admin.subscriptionRow("bob");
    await expect(bobsRow).toContainText(room);
    // The times say what they are on a phone, where the column headers are not shown.
    await expect(bobsRow).toContainText(/connected .*last pulse/su, { useInnerText: true });
    const fitsTheScreen = () =>
      ada.page.evaluate(() =>
        [...document.querySelectorAll("table")].every(
          (table) => table.parentElement!.scrollWidth <= table.parentElement!.clientWidth,
        ),
      );
    expect(await fitsTheScreen()).toBe(true);

    const unregister = bobsRow.getByRole("button", { name: "Unregister" });
    await unregister.click();
    const yes = bobsRow.getByRole("group").getByRole("button", { name: "Unregister" });
    const box = await yes.boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    await yes.click();
    await expect(admin.notice).toHaveText("bob was disconnected");
  });

  test("an admin's dashboard tab stays out of the chat the admin is in", async ({
    ada,
    bob,
    room,
  }) => {
    const adaChat = await ada.chat().open([room]);
    const bobChat = await bob.chat().open([room]);
    await new AdminPage(await ada.newTab()).open();

    await adaChat.send("back from the dashboard");
    await expect(bobChat.message("back from the dashboard")).toBeVisible();
    await expect(bobChat.systemEntry(/changed channels/)).toHaveCount(0);
    const seenByBob = await bob.page.request.get(`/event-subscribers?channels=${room}`);
    const channelsOfAda = ((await seenByBob.json()) as { displayName: string; channels: string }[])
      .filter((subscriber) => subscriber.displayName === "ada")
      .map((subscriber) => subscriber.channels);
    expect(channelsOfAda).toEqual([room]);
  });

  test("a non-admin is refused: a 403 page, no Admin link, and no way onto the admin channel", async ({
    bob,
    guest,
  }) => {
    await expect(bob.page.getByRole("link", { name: "Admin" })).toHaveCount(0);
    const response = await bob.page.goto("/admin");
    expect(response?.status()).toBe(403);
    await expect(bob.page.getByRole("heading", { name: "This page is for admins" })).toBeVisible();
    expect((await bob.page.request.get("/api/GetAdminOverview")).status()).toBe(403);
    expect(await tryChannel(bob.page, ADMIN_CHANNEL, INSTANCE_REPORT_SELECTOR)).toEqual([
      403, 403, 403,
    ]);
    await guest.page.goto("/");
    expect(await tryChannel(guest.page, ADMIN_CHANNEL, INSTANCE_REPORT_SELECTOR)).toEqual([
      403, 403, 403,
    ]);
  });

  test("the server's own channel is closed to everyone, admins included", async ({ ada }) => {
    expect(await tryChannel(ada.page, CREDENTIALS_CHANNEL, "cmd.credentialsChanged")).toEqual([
      403, 403, 403,
    ]);
  });

  test("a signed-out visitor signs in first and comes back to /admin", async ({ ada, browser }) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto("/admin");
    await expect(page).toHaveURL(/\/signin\?next=%2Fadmin$/u);
    await page.getByRole("textbox", { name: "Name" }).fill(ada.name);
    await page.getByLabel("Password").fill(E2E_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("heading", { name: "Operator dashboard" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Admin" })).toHaveAttribute("aria-current", "page");
    await context.close();
  });
});
