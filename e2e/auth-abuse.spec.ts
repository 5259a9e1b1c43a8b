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
const COOL_DOWN = "Too many attempts; try again in 15 minutes";
const runId = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

const hex16 = () => Math.floor(Math.random() * 0x10000).toString(16);
const uniqueName = (label: string) => `${label}${runId}`.slice(0, 24);

/** A browser of its own, from its own client address. */
async function openBrowser(
  browser: Browser,
  baseURL: string | undefined,
  headers: Record<string, string> = {},
) {
  const context = await browser.newContext({
    baseURL,
    extraHTTPHeaders: { "x-forwarded-for": `2001:db8:${hex16()}:${hex16()}::1`, ...headers },
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

/** The form's message (Next's route announcer is an alert too). */
const formAlert = (page: Page) => page.locator('form [role="alert"]');

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
  // Each sign-up and sign-in hashes with bcrypt on a small, shared machine.
  test.slow();

  test("sign-up ends on this site", async ({ browser, baseURL }) => {
    const { context, page } = await openBrowser(browser, baseURL);
    const name = uniqueName("redirup");
    await openWithNext(page, "/signup", PHISH);
    await submitAuthForm(page, name, E2E_PASSWORD, "Create account");
    await expectOnSite(page, baseURL);
    await expect(page.getByTestId("nav-user")).toHaveText(name);
    await context.close();
  });

  test("sign-in (with the name in another case) ends on this site", async ({
    browser,
    baseURL,
  }) => {
    const name = uniqueName("redirin");
    const owner = await openBrowser(browser, baseURL);
    await signUp(owner.page, name);
    await owner.context.close();

    const { context, page } = await openBrowser(browser, baseURL);
    await openWithNext(page, "/signin", PHISH);
    await submitAuthForm(page, name.toUpperCase(), E2E_PASSWORD, "Sign in");
    await expectOnSite(page, baseURL);
    await expect(page.getByTestId("nav-user")).toHaveText(name);
    await context.close();
  });

  test("continue-as-guest ends on this site", async ({ browser, baseURL }) => {
    const { context, page } = await openBrowser(browser, baseURL);
    await openWithNext(page, "/signin", PHISH);
    await page.getByRole("button", { name: "Continue as guest" }).click();
    await expectOnSite(page, baseURL);
    await context.close();
  });
});

test.describe("password guessing", () => {
  test("10 wrong passwords, then the right one is refused with the cool-down, but not in the owner's own browser", async ({
    browser,
    baseURL,
  }) => {
    test.slow();
    const name = uniqueName("guess");
    const owner = await openBrowser(browser, baseURL);
    await signUp(owner.page, name);
    await owner.page.getByRole("button", { name: "Sign out" }).click();
    await expect(owner.page.getByTestId("nav-user")).toHaveCount(0);

    const { context, page } = await openBrowser(browser, baseURL);
    await page.goto("/signin?next=/");
    const alert = formAlert(page);
    for (let attempt = 1; attempt <= 10; attempt++) {
      await submitAuthForm(page, name, `wrong-password-${attempt}`, "Sign in");
      await expect(alert).toHaveText(attempt < 10 ? "Wrong name or password" : COOL_DOWN);
      // React resets the form once the action's answer is applied, which may be after the
      // response arrives: typing the next password before that would see it wiped.
      await expect(page.getByLabel("Password")).toHaveValue("");
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

    // The browser the account signed in from before is remembered (a signed cookie that outlives
    // signing out): the attacker's lockout does not reach it.
    await owner.page.goto("/signin?next=/");
    await submitAuthForm(owner.page, name, E2E_PASSWORD, "Sign in");
    await expect(owner.page.getByTestId("nav-user")).toHaveText(name);
    await owner.context.close();
  });
});

test.describe("sign-up flooding", () => {
  test("a sixth account from one address within the hour is refused", async ({
    browser,
    baseURL,
  }) => {
    test.slow();
    const { context, page } = await openBrowser(browser, baseURL);
    for (let i = 1; i <= 5; i++) await signUp(page, uniqueName(`flood${i}x`));
    await openWithNext(page, "/signup", "/");
    await submitAuthForm(page, uniqueName("flood6x"), E2E_PASSWORD, "Create account");
    await expect(formAlert(page)).toHaveText(
      /^Too many new accounts from your network; try again in \d+ minutes$/u,
    );
    await context.close();
  });
});

test.describe("cookies behind a TLS-terminating proxy", () => {
  // The proxy says "https" in X-Forwarded-Proto; Chromium keeps Secure cookies from 127.0.0.1.
  const viaHttps = { "x-forwarded-proto": "https" };

  test("the guest cookie is Secure and __Host- over https, and only then", async ({
    browser,
    baseURL,
  }) => {
    for (const [headers, secure] of [
      [viaHttps, true],
      [{}, false],
    ] as const) {
      const { context, page } = await openBrowser(browser, baseURL, headers);
      await page.goto("/signin?next=/");
      await page.getByRole("button", { name: "Continue as guest" }).click();
      // Not /\/$/: the sign-in page's own URL (?next=/) ends with a slash too.
      await expect(page).toHaveURL((url) => url.pathname === "/");
      // Over https, the __Host- name: a cookie planted over http or by a sibling cannot pass for it.
      const name = secure ? "__Host-se-guest" : "se-guest";
      const cookie = (await context.cookies()).find((c) => c.name === name);
      expect(cookie?.secure).toBe(secure);
      expect((await context.cookies()).filter((c) => c.name.endsWith("se-guest"))).toHaveLength(1);
      await context.close();
    }
  });

  test("Auth.js's session cookie is Secure over https", async ({ browser, baseURL }) => {
    test.slow();
    const { context, page } = await openBrowser(browser, baseURL, viaHttps);
    await signUp(page, uniqueName("tls"));
    const session = (await context.cookies()).find((c) => c.name.endsWith("authjs.session-token"));
    expect(session).toMatchObject({ name: "__Secure-authjs.session-token", secure: true });
    await context.close();
  });
});
