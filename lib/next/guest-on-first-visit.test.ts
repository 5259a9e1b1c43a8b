import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  createGuestCookieValue,
  GUEST_COOKIE,
  SECURE_GUEST_COOKIE,
  verifyGuestCookie,
} from "./guest-cookie";
import { guestCookieForFirstVisit } from "./guest-on-first-visit";

const secret = "first-visit-test-secret-at-least-32-chars";
beforeAll(() => vi.stubEnv("AUTH_SECRET", secret));
afterAll(() => vi.unstubAllEnvs());

const visit = (url: string, cookie?: string, headers: Record<string, string> = {}) => {
  const requestHeaders = new Headers(cookie ? { cookie, ...headers } : headers);
  return { cookie: guestCookieForFirstVisit(new URL(url), requestHeaders), requestHeaders };
};

describe("a first visit to a demo", () => {
  it("makes the visitor a guest on /chat and /shapes, and the page sees it at once", () => {
    for (const url of ["http://127.0.0.1/chat?channels=a", "http://127.0.0.1/shapes"]) {
      const { cookie, requestHeaders } = visit(url, "theme=dark");
      expect(cookie).toMatchObject({ name: GUEST_COOKIE, options: { httpOnly: true, path: "/" } });
      expect(verifyGuestCookie(cookie!.value, secret)).toBeDefined();
      expect(requestHeaders.get("cookie")).toBe(`theme=dark; ${GUEST_COOKIE}=${cookie!.value}`);
    }
  });

  it("keeps a guest who already has a valid cookie", () => {
    const value = createGuestCookieValue(secret);
    expect(visit("http://127.0.0.1/chat", `${GUEST_COOKIE}=${value}`).cookie).toBeUndefined();
  });

  it("replaces a cookie this server did not sign", () => {
    const { cookie, requestHeaders } = visit(
      "http://127.0.0.1/chat",
      `${GUEST_COOKIE}=0123456789abcdef0123456789abcdef`,
    );
    expect(cookie).toBeDefined();
    expect(requestHeaders.get("cookie")).toBe(`${GUEST_COOKIE}=${cookie!.value}`);
  });

  it("leaves other pages alone", () => {
    for (const url of ["http://127.0.0.1/", "http://127.0.0.1/signin", "http://127.0.0.1/chatter"])
      expect(visit(url).cookie).toBeUndefined();
  });

  it("is the Secure __Host- cookie over https, and only then", () => {
    const viaHttps = { "x-forwarded-proto": "https" };
    const proxied = visit("https://demo.example/chat", undefined, viaHttps);
    expect(proxied.cookie).toMatchObject({ name: SECURE_GUEST_COOKIE, options: { secure: true } });
    expect(proxied.requestHeaders.get("cookie")).toBe(
      `${SECURE_GUEST_COOKIE}=${proxied.cookie!.value}`,
    );
    expect(visit("http://127.0.0.1/chat").cookie).toMatchObject({
      name: GUEST_COOKIE,
      options: { secure: false },
    });
  });

  it("over https, mints a visitor their own guest beside a plain cookie someone planted", () => {
    const planted = `${GUEST_COOKIE}=${createGuestCookieValue(secret)}`;
    const { cookie } = visit("https://demo.example/chat", planted, {
      "x-forwarded-proto": "https",
    });
    expect(cookie?.name).toBe(SECURE_GUEST_COOKIE);
  });
});
