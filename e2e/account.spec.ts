import type { Browser, Page } from "@playwright/test";
import { expect, test } from "./fixtures/users";
import { E2E_PASSWORD } from "./pages/auth-pages";

/*
 * The account page: changing a password, as its owner and as someone who took their session.
 * Names are unique to the run, so the fixtures' shared users keep their passwords, and each
 * browser comes from an address of its own (see auth-abuse.spec.ts), so a wrong password typed
 * here never counts against the specs that run after this one. The cluster run
 * (playwright.cluster.config.ts) adds a second instance, sharing the accounts in Postgres.
 */

const runId = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const hex16 = () => Math.floor(Math.random() * 0x10000).toString(16);
const NEW_PASSWORD = "a-brand-new-password";

async function openBrowser(browser: Browser, baseURL: string | undefined) {
  const context = await browser.newContext({
    baseURL,
    extraHTTPHeaders: { "x-forwarded-for": `2001:db8:${hex16()}:${hex16()}::1` },
  });
  return { context, page: await context.newPage() };
}

async function submitAuthForm(page: Page, path: string, name: string, password: string) {
  await page.goto(`${path}?next=/`);
  await page.getByRole("textbox", { name: "Name" }).fill(name);
  await page.getByLabel("Password").fill(password);
  const button = path === "/signup" ? "Create account" : "Sign in";
  await page.getByRole("button", { name: button }).click();
}

async function fillChangePassword(page: Page, current: string, next: string, again = next) {
  await page.getByLabel("Current password").fill(current);
  await page.getByLabel("New password", { exact: true }).fill(next);
  await page.getByLabel("New password, again").fill(again);
  await page.getByRole("button", { name: "Change password" }).click();
}

/**
 * `name`'s account, signed up in one browser (the owner's, on `baseURL`) and signed in to in
 * another (on `otherBaseURL`), which has the chat open and connected.
 */
async function ownerAndOtherBrowser(
  browser: Browser,
  name: string,
  baseURL: string | undefined,
  otherBaseURL = baseURL,
) {
  const owner = await openBrowser(browser, baseURL);
  const other = await openBrowser(browser, otherBaseURL);
  await submitAuthForm(owner.page, "/signup", name, E2E_PASSWORD);
  await expect(owner.page.getByTestId("nav-user")).toHaveText(name);
  await submitAuthForm(other.page, "/signin", name, E2E_PASSWORD);
  await expect(other.page.getByTestId("nav-user")).toHaveText(name);
  await other.page.goto("/chat");
  await expect(other.page.getByTestId("connection-state")).toHaveAttribute("data-state", "open");
  return { owner, other };
}

test.describe("the account page", () => {
  // Sign-ups, sign-ins and the change itself each hash with bcrypt on a small, shared machine.
  test.slow();

  test("a new password signs out the account's other browsers and retires the old one", async ({
    browser,
    baseURL,
  }) => {
    const name = `acct${runId}`.slice(0, 24);
    // The other browser is in the chat when the password changes.
    const { owner, other } = await ownerAndOtherBrowser(browser, name, baseURL);

    await owner.page.getByRole("link", { name: `${name}: your account` }).click();
    await expect(owner.page.getByRole("heading", { name: "Change password" })).toBeVisible();
    await fillChangePassword(owner.page, E2E_PASSWORD, NEW_PASSWORD);
    await expect(owner.page.getByRole("status")).toHaveText(/Password changed/u);
    // The owner's own browser stays signed in, under a fresh session.
    await owner.page.goto("/chat");
    await expect(owner.page.getByTestId("nav-user")).toHaveText(name);

    // Its next heartbeat is refused, its stream comes back as a guest, and the page reloads as one.
    await expect(other.page.getByTestId("nav-user")).toHaveCount(0, { timeout: 30_000 });
    await expect(other.page.getByTestId("nav-guest")).toBeAttached();
    await submitAuthForm(other.page, "/signin", name, E2E_PASSWORD);
    await expect(other.page.getByText("Wrong name or password")).toBeVisible();
    await submitAuthForm(other.page, "/signin", name, NEW_PASSWORD);
    await expect(other.page.getByTestId("nav-user")).toHaveText(name);
    await owner.context.close();
    await other.context.close();
  });

  test("signing out everywhere else keeps the password and this browser", async ({
    browser,
    baseURL,
  }) => {
    const name = `accto${runId}`.slice(0, 24);
    const { owner, other } = await ownerAndOtherBrowser(browser, name, baseURL);

    await owner.page.goto("/account");
    await owner.page.getByLabel("Your password").fill("not-it-at-all");
    await owner.page.getByRole("button", { name: "Sign out everywhere else" }).click();
    await expect(owner.page.getByText("Wrong password")).toBeVisible();
    await owner.page.getByLabel("Your password").fill(E2E_PASSWORD);
    await owner.page.getByRole("button", { name: "Sign out everywhere else" }).click();
    await expect(owner.page.getByRole("status")).toHaveText(
      /other browsers and devices are signed out/u,
    );
    await owner.page.goto("/chat");
    await expect(owner.page.getByTestId("nav-user")).toHaveText(name);

    await expect(other.page.getByTestId("nav-user")).toHaveCount(0, { timeout: 30_000 });
    // The password still signs in.
    await submitAuthForm(other.page, "/signin", name, E2E_PASSWORD);
    await expect(other.page.getByTestId("nav-user")).toHaveText(name);
    await owner.context.close();
    await other.context.close();
  });

  test("wrong guesses from a stolen session lock that session, not its owner", async ({
    browser,
    baseURL,
  }) => {
    const name = `accts${runId}`.slice(0, 24);
    const owner = await openBrowser(browser, baseURL);
    await submitAuthForm(owner.page, "/signup", name, E2E_PASSWORD);
    await expect(owner.page.getByTestId("nav-user")).toHaveText(name);
    // The thief holds a copy of the owner's session cookie, from another address.
    const thief = await openBrowser(browser, baseURL);
    await thief.context.addCookies(
      (await owner.context.cookies()).filter((c) => c.name.endsWith("authjs.session-token")),
    );
    await thief.page.goto("/account");
    for (let guess = 0; guess < 10; guess++) {
      await thief.page.getByLabel("Your password").fill(`a-guess-number-${guess}`);
      await thief.page.getByRole("button", { name: "Sign out everywhere else" }).click();
      await expect(thief.page.getByText(/^Wrong password$|^Too many attempts/u)).toBeVisible();
    }
    await expect(thief.page.getByText(/^Too many attempts/u)).toBeVisible();

    // The name is not locked: the owner signs in from a browser never used before, and ends the
    // thief's session from there.
    const fresh = await openBrowser(browser, baseURL);
    await submitAuthForm(fresh.page, "/signin", name, E2E_PASSWORD);
    await expect(fresh.page.getByTestId("nav-user")).toHaveText(name);
    await fresh.page.goto("/account");
    await fresh.page.getByLabel("Your password").fill(E2E_PASSWORD);
    await fresh.page.getByRole("button", { name: "Sign out everywhere else" }).click();
    await expect(fresh.page.getByRole("status")).toHaveText(/signed out/u);
    await thief.page.goto("/account");
    await expect(thief.page).toHaveURL(/\/signin\?next=%2Faccount$/u);
    for (const context of [owner.context, thief.context, fresh.context]) await context.close();
  });

  test("says which field is wrong and changes nothing", async ({ browser, baseURL }) => {
    const name = `acctw${runId}`.slice(0, 24);
    const { context, page } = await openBrowser(browser, baseURL);
    await submitAuthForm(page, "/signup", name, E2E_PASSWORD);
    await expect(page.getByTestId("nav-user")).toHaveText(name);
    await page.goto("/account");

    await fillChangePassword(page, "not-my-password", NEW_PASSWORD);
    await expect(page.getByText("Wrong password")).toBeVisible();
    // Typing hides the message; the same refusal again shows it again.
    await page.getByLabel("Current password").fill("still-not-it");
    await expect(page.getByText("Wrong password")).toBeHidden();
    await fillChangePassword(page, "still-not-it", NEW_PASSWORD);
    await expect(page.getByText("Wrong password")).toBeVisible();
    await fillChangePassword(page, E2E_PASSWORD, NEW_PASSWORD, "a-typo-in-it");
    await expect(page.getByText("The two new passwords differ")).toBeVisible();
    await fillChangePassword(page, E2E_PASSWORD, E2E_PASSWORD);
    await expect(page.getByText("That is your current password: choose another")).toBeVisible();

    // Nothing changed: the password still signs in, from a browser of its own.
    const again = await openBrowser(browser, baseURL);
    await submitAuthForm(again.page, "/signin", name, E2E_PASSWORD);
    await expect(again.page.getByTestId("nav-user")).toHaveText(name);
    await context.close();
    await again.context.close();
  });

  test("on a cluster, the other instance refuses the old sessions at once and takes the new one", async ({
    browser,
    baseURL,
    bobBaseURL,
  }) => {
    test.skip(!bobBaseURL, "needs a second instance (the cluster run)");
    const name = `acctc${runId}`.slice(0, 24);
    const { owner, other } = await ownerAndOtherBrowser(browser, name, baseURL, bobBaseURL);

    await owner.page.goto("/account");
    await fillChangePassword(owner.page, E2E_PASSWORD, NEW_PASSWORD);
    await expect(owner.page.getByRole("status")).toHaveText(/Password changed/u);
    // The other instance looked the account's version up moments ago, when the other browser
    // signed in there, and would keep that answer for 30 s: it forgets it on the announcement.
    await expect(other.page.getByTestId("nav-user")).toHaveCount(0, { timeout: 10_000 });
    // Cookies go to every port of a host, so the owner's browser is signed in there too.
    await owner.page.goto(`${bobBaseURL}/chat`);
    await expect(owner.page.getByTestId("nav-user")).toHaveText(name);
    await expect(owner.page.getByTestId("connection-state")).toHaveAttribute("data-state", "open");
    await owner.context.close();
    await other.context.close();
  });

  test("says nothing for a ?done= it does not know, however it is spelled", async ({ ada }) => {
    for (const done of ["__proto__", "constructor", "toString", "nope"]) {
      const response = await ada.page.goto(`/account?done=${done}`);
      expect(response?.status(), done).toBe(200);
      await expect(ada.page.getByRole("heading", { name: ada.name })).toBeVisible();
      await expect(ada.page.getByRole("main").getByRole("status")).toHaveCount(0);
    }
  });

  test("is for signed-in people: anyone else is sent to sign in first", async ({ page }) => {
    await page.goto("/account");
    await expect(page).toHaveURL(/\/signin\?next=%2Faccount$/u);
  });
});
