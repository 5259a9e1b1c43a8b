import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures/users";
import { ChatPage } from "./pages/chat-page";
import { ShapesPage } from "./pages/shapes-page";

/** CSP violations (from the `securitypolicyviolation` event) and console errors of one tab. */
interface Problems {
  consoleErrors: string[];
  violations: () => Promise<string[]>;
}

async function watchProblems(page: Page): Promise<Problems> {
  const consoleErrors: string[] = [];
  page.on("console", (message) => {
    const { url } = message.location();
    if (message.type() === "error")
      consoleErrors.push(`${message.text()} (${url || "no location"})`);
  });
  page.on("pageerror", (error) => consoleErrors.push(error.message));
  // Injected by the browser itself, so the page's own CSP does not apply to this script.
  await page.addInitScript(() => {
    const seen: string[] = [];
    Object.assign(window, { __cspViolations: seen });
    document.addEventListener("securitypolicyviolation", (event) => {
      seen.push(`${event.effectiveDirective} refused ${event.blockedURI || "inline"}`);
    });
  });
  const violations = () =>
    page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);
  return { consoleErrors, violations };
}

/** The nonce of a page's policy; every script in its HTML must carry exactly this one. */
function nonceOf(policy: string): string {
  const nonce = /script-src [^;]*'nonce-([A-Za-z0-9+/]+={0,2})'/u.exec(policy)?.[1];
  expect(nonce, policy).toBeTruthy();
  return nonce ?? "";
}

/** Visits `path`, checks every header of a page, and returns the tab's problems. */
async function visitPage(page: Page, path: string, status = 200): Promise<Problems> {
  const problems = await watchProblems(page);
  const response = await page.goto(path);
  expect(response?.status()).toBe(status);
  const headers = (await response?.allHeaders()) ?? {};
  const policy = headers["content-security-policy"] ?? "";
  expect(policy).toContain("frame-ancestors 'none'");
  expect(policy).toContain("object-src 'none'");
  expect(policy).toContain("'strict-dynamic'");
  expect(policy, "production pages never allow eval").not.toContain("'unsafe-eval'");
  expect(policy, "not over plain http").not.toContain("upgrade-insecure-requests");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["permissions-policy"]).toBe("camera=(), microphone=(), geolocation=()");

  const nonce = nonceOf(policy);
  const scriptTags = (await response?.text())?.match(/<script\b[^>]*>/gu) ?? [];
  expect(scriptTags.length).toBeGreaterThan(0);
  for (const tag of scriptTags) expect(tag).toContain(`nonce="${nonce}"`);

  // Hydrated: React has claimed the server-rendered <body>, so every script it needed ran.
  await expect
    .poll(() =>
      page.evaluate(() => Object.keys(document.body).some((key) => key.startsWith("__reactFiber"))),
    )
    .toBe(true);
  return problems;
}

async function expectNoProblems(problems: Problems): Promise<void> {
  expect(await problems.violations()).toEqual([]);
  expect(problems.consoleErrors).toEqual([]);
}

test.describe("security headers on pages", () => {
  for (const path of ["/signin", "/signup"]) {
    test(`${path} has the policy and runs with no CSP violation or console error`, async ({
      page,
    }) => {
      await expectNoProblems(await visitPage(page, path));
    });
  }

  // As a guest: the pages are the same for a signed-in user but for the nav's data: avatar, and
  // a guest needs no database (its first use can outlast the sign-up helper's timeout).
  test("/, /chat and /shapes work, with no CSP violation or console error", async ({
    guest,
    room,
  }) => {
    const home = await guest.newTab();
    await expectNoProblems(await visitPage(home, "/"));

    const chatTab = await guest.newTab();
    const chatProblems = await visitPage(chatTab, `/chat?channels=${room}`);
    const chat = new ChatPage(chatTab);
    await chat.expectConnected(); // EventSource under connect-src 'self'
    await chat.send("hello under a strict CSP");
    await expect(chat.message("hello under a strict CSP")).toBeVisible();
    await expectNoProblems(chatProblems);

    const shapesTab = await guest.newTab();
    const shapesProblems = await visitPage(shapesTab, "/shapes");
    const shapes = new ShapesPage(shapesTab);
    await expect(shapesTab.getByTestId("connection-state")).toHaveAttribute("data-state", "open");
    // The toolbar's swatches are style="" attributes: style-src 'unsafe-inline' lets them apply.
    const swatch = shapesTab.getByRole("button", { name: "Colour #ec4899" });
    await expect(swatch).toHaveCSS("background-color", "rgb(236, 72, 153)");
    await shapes.draw("Circle", 120, 120);
    await expectNoProblems(shapesProblems);
  });

  test("a missing page gets the policy too, and hydrates", async ({ page, baseURL }) => {
    const problems = await visitPage(page, "/no-such-page", 404);
    expect(await problems.violations()).toEqual([]);
    // Chrome reports the 404 of the document itself as a console error; nothing else may appear.
    const own404 = `status of 404 (Not Found) (${baseURL}/no-such-page)`;
    expect(problems.consoleErrors.filter((text) => !text.endsWith(own404))).toEqual([]);
  });

  test("the favicon and app icons are there (no 404 on every page)", async ({ request }) => {
    for (const [path, type] of [
      ["/favicon.ico", "image/x-icon"],
      ["/icon.svg", "image/svg+xml"],
      ["/apple-icon.png", "image/png"],
    ] as const) {
      const response = await request.get(path);
      expect(response.status(), path).toBe(200);
      expect(response.headers()["content-type"], path).toContain(type);
    }
  });

  test("every response gets a fresh nonce", async ({ request }) => {
    const policies = await Promise.all(
      [1, 2].map(async () => (await request.get("/signin")).headers()["content-security-policy"]),
    );
    const [first = "", second = ""] = policies;
    expect(nonceOf(first)).not.toBe(nonceOf(second));
  });

  test("upgrade-insecure-requests only when served over https", async ({ request }) => {
    const overHttps = await request.get("/signin", { headers: { "x-forwarded-proto": "https" } });
    expect(overHttps.headers()["content-security-policy"]).toMatch(/; upgrade-insecure-requests$/u);
    const overHttp = await request.get("/signin");
    expect(overHttp.headers()["content-security-policy"]).not.toContain("upgrade-insecure");
  });
});

test.describe("what the policy stops", () => {
  test("injected markup cannot run script (XSS)", async ({ page }) => {
    const problems = await visitPage(page, "/signin");
    await page.evaluate(() =>
      document.body.insertAdjacentHTML(
        "beforeend",
        `<img id="xss" src="data:," onerror="document.title = 'pwned'">`,
      ),
    );
    await expect.poll(problems.violations).toContain("script-src-attr refused inline");
    await expect(page).not.toHaveTitle("pwned");
  });

  test("another site cannot frame a page (clickjacking)", async ({ page, baseURL }) => {
    // A real second origin on loopback: Chrome refuses requests from a routed (public) page to
    // loopback before it ever sees the app's answer.
    const attacker = createServer((_, response) => {
      response.setHeader("content-type", "text/html");
      response.end(`<iframe src="${baseURL}/signin"></iframe>`);
    });
    await new Promise<void>((resolve) => attacker.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = attacker.address() as AddressInfo;
      const framed = `${baseURL}/signin`;
      const answered = page.waitForResponse(framed);
      const refused = page.waitForEvent("requestfailed", (request) => request.url() === framed);
      await page.goto(`http://127.0.0.1:${port}/`);
      // The app answered; the browser refused to show the answer inside another site.
      expect((await answered).status()).toBe(200);
      expect((await refused).failure()?.errorText).toBe("net::ERR_BLOCKED_BY_RESPONSE");
      await expect(
        page.frameLocator("iframe").getByRole("heading", { name: "Sign in" }),
      ).toHaveCount(0);
    } finally {
      attacker.close();
    }
  });

  test("https images load from anywhere (the chat's TV); frames only from youtube-nocookie", async ({
    page,
  }) => {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="4" height="3"/>`;
    await page.route("https://images.example/**", (route) =>
      route.fulfill({ contentType: "image/svg+xml", body: svg }),
    );
    await page.route("https://www.youtube-nocookie.com/**", (route) =>
      route.fulfill({ contentType: "text/html", body: "<p>video</p>" }),
    );
    const problems = await visitPage(page, "/signin");
    await page.evaluate(() =>
      document.body.insertAdjacentHTML(
        "beforeend",
        `<img id="tv" src="https://images.example/cat.svg">` +
          `<iframe src="https://www.youtube-nocookie.com/embed/abc"></iframe>` +
          `<iframe src="https://elsewhere.example/"></iframe>`,
      ),
    );
    await expect
      .poll(() =>
        page.evaluate(() => document.querySelector<HTMLImageElement>("#tv")?.naturalWidth),
      )
      .toBe(4);
    // Chrome reports a cross-origin blocked URL as its origin only.
    await expect.poll(problems.violations).toEqual(["frame-src refused https://elsewhere.example"]);
  });
});

test.describe("endpoints skip the proxy", () => {
  test("/event-stream has no CSP, still streams text/event-stream, and is nosniff", async ({
    baseURL,
  }) => {
    const abort = new AbortController();
    const response = await fetch(`${baseURL}/event-stream?channels=csp-check`, {
      signal: abort.signal,
    });
    try {
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/u);
      expect(response.headers.get("content-security-policy")).toBeNull();
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      const first = await response.body?.getReader().read();
      expect(new TextDecoder().decode(first?.value)).toContain("cmd.onConnect");
    } finally {
      abort.abort();
    }
  });

  test("JSON APIs have no CSP but are nosniff", async ({ request }) => {
    const response = await request.get("/api/auth/csrf");
    expect(response.status()).toBe(200);
    expect(response.headers()["content-security-policy"]).toBeUndefined();
    expect(response.headers()["x-content-type-options"]).toBe("nosniff");
  });
});
