import { expect, test, type Browser, type Page } from "@playwright/test";
import { E2E_PASSWORD } from "./pages/auth-pages";

/*
 * Abuse of sign-in, sign-up and redirects, through the browser as an attacker would.
 *
 * The throttles count per client address, and every browser of the suite comes from 127.0.0.1:
 * locking that address out would break the specs that run after this one. So each browser here
 * comes "through a proxy" with its own X-Forwarded-For — a random /64 of the IPv6 documentation
 * range, 2001:db8::/32, the unit of the address limits — and user names are unique to the run.
 */

const PHISH = "/\\evil.example/phish";
const COOL_DOWN = "Too many failed attempts; try again in 15 minutes";
const runId = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

const hex16 = () => Math.floor(Math.random() * 0x10000).toString(16);
const uniqueName = (label: string) => `${label}${runId}`.slice(0, 24);

/** A browser of its own, from its own client address. */
async function openBrowser(browser: Browser, baseURL: string | undefined) {
  const context = await browser.newContext({
    baseURL,
    extraHTTPHeaders: { "x-forwarded-for": `2001:db8:${hex16()}:${hex16()}::1` },
  });
  return { context, page: await context.newPage() };
}

/** Fills the auth form and waits for the server action's answer. */
async function submitAuthForm(page: Page, name: string, password: string, button: string) {
  await page.getByRole("textbox", { name: "Name" }).fill(name);
  await page.getByLabel("Password").fill(password);
  const answered = page.waitForResponse((r) => r.request().method() === "POST");
  await page.getByRole("button", { name: button }).click();
  await answered;
}

/** Plants `next` in the page's hidden fields too, so the server's own check is what is tested. */
async function openWithNext(page: Page, path: string, next: string) {
  await page.goto(`${path}?next=${encodeURIComponent(next)}`);
  await page.locator('input[name="next"]').evaluateAll((inputs, value) => {
    for (const input of inputs) (input as HTMLInputElement).value = value;
  }, next);
}

async function expectOnSite(page: Page, baseURL: string | undefined) {
  const origin = new URL(baseURL ?? "http://127.0.0.1").origin;
  await expect(page).toHaveURL((url) => url.origin === origin && url.pathname === "/chat");
}

async function signUp(page: Page, name: string, next = "/") {
  await openWithNext(page, "/signup", next);
  await submitAuthForm(page, name, E2E_PASSWORD, "Create account");
  await expect(page.getByTestId("nav-user")).toHaveText(name);
}

test.describe("off-site next", () => {
  test("sign-up, sign-in and continue-as-guest all end on this site", async ({
    browser,
    baseURL,
  }) => {
    const name = uniqueName("redir");
    const newcomer = await openBrowser(browser, baseURL);
    await openWithNext(newcomer.page, "/signup", PHISH);
    await submitAuthForm(newcomer.page, name, E2E_PASSWORD, "Create account");
    await expectOnSite(newcomer.page, baseURL);
    await expect(newcomer.page.getByTestId("nav-user")).toHaveText(name);

    const returning = await openBrowser(browser, baseURL);
    await openWithNext(returning.page, "/signin", PHISH);
    await submitAuthForm(returning.page, name.toUpperCase(), E2E_PASSWORD, "Sign in");
    await expectOnSite(returning.page, baseURL);
    await expect(returning.page.getByTestId("nav-user")).toHaveText(name);

    const guest = await openBrowser(browser, baseURL);
    await openWithNext(guest.page, "/signin", PHISH);
    await guest.page.getByRole("button", { name: "Continue as guest" }).click();
    await expectOnSite(guest.page, baseURL);

    await Promise.all([newcomer, returning, guest].map(({ context }) => context.close()));
  });
});

test.describe("password guessing", () => {
  test("10 wrong passwords, then the right one is refused with the cool-down", async ({
    browser,
    baseURL,
  }) => {
    const name = uniqueName("guess");
    const owner = await openBrowser(browser, baseURL);
    await signUp(owner.page, name);
    await owner.context.close();

    const { context, page } = await openBrowser(browser, baseURL);
    await page.goto("/signin?next=/");
    const alert = page.getByRole("alert");
    for (let attempt = 1; attempt <= 10; attempt++) {
      await submitAuthForm(page, name, `wrong-password-${attempt}`, "Sign in");
      await expect(alert).toHaveText(attempt < 10 ? "Wrong name or password" : COOL_DOWN);
    }
    await submitAuthForm(page, name, E2E_PASSWORD, "Sign in");
    await expect(alert).toHaveText(COOL_DOWN);
    await expect(page.getByTestId("nav-user")).toHaveCount(0);

    // The endpoint that bypasses the form refuses too, with 429.
    const { csrfToken } = (await (await page.request.get("/api/auth/csrf")).json()) as {
      csrfToken: string;
    };
    const direct = await page.request.post("/api/auth/callback/credentials", {
      form: { name, password: E2E_PASSWORD, csrfToken },
      maxRedirects: 0,
    });
    expect(direct.status()).toBe(429);
    expect(direct.headers()["retry-after"]).toMatch(/^\d+$/u);
    await context.close();
  });
});

test.describe("sign-up flooding", () => {
  test("a sixth account from one address within the hour is refused", async ({
    browser,
    baseURL,
  }) => {
    const { context, page } = await openBrowser(browser, baseURL);
    for (let i = 1; i <= 5; i++) await signUp(page, uniqueName(`flood${i}x`));
    await openWithNext(page, "/signup", "/");
    await submitAuthForm(page, uniqueName("flood6x"), E2E_PASSWORD, "Create account");
    await expect(page.getByRole("alert")).toHaveText(
      /^Too many new accounts from your network; try again in \d+ minutes$/u,
    );
    await context.close();
  });
});
