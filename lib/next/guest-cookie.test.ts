import { describe, expect, it } from "vitest";
import {
  createGuestCookieValue,
  GUEST_COOKIE,
  guestCookie,
  readGuest,
  SECURE_GUEST_COOKIE,
  verifyGuestCookie,
} from "./guest-cookie";

const secret = "guest-cookie-test-secret-at-least-32-chars";

describe("the guest cookie", () => {
  it("names a guest the same way every time it is read", () => {
    const value = createGuestCookieValue(secret);
    const guest = verifyGuestCookie(value, secret);
    expect(guest?.displayName).toMatch(/^user[1-9]\d{4}$/u);
    expect(guest?.userId).toMatch(/^guest-[0-9a-f]{16}$/u);
    expect(verifyGuestCookie(value, secret)).toEqual(guest);
  });

  it("gives two guests different user ids and session ids", () => {
    const a = verifyGuestCookie(createGuestCookieValue(secret), secret)!;
    const b = verifyGuestCookie(createGuestCookieValue(secret), secret)!;
    expect(a.userId).not.toBe(b.userId);
    expect(a.sessionId).not.toBe(b.sessionId);
  });

  it("refuses values this server did not sign", () => {
    const value = createGuestCookieValue(secret);
    const [id, signature] = value.split(".") as [string, string];
    const flipped = `${signature.slice(0, -1)}${signature.endsWith("A") ? "B" : "A"}`;
    expect(verifyGuestCookie(`${id}.${flipped}`, secret)).toBeUndefined();
    expect(verifyGuestCookie(value, `${secret}-rotated`)).toBeUndefined();
    // The unsigned ids earlier versions handed out, and anything else, make no guest.
    for (const forged of ["0123456789abcdef0123456789abcdef", "", `${id}.`, `${value}x`])
      expect(verifyGuestCookie(forged, secret)).toBeUndefined();
  });

  it("is found among other cookies", () => {
    const value = createGuestCookieValue(secret);
    const guest = verifyGuestCookie(value, secret);
    expect(readGuest(`a=1; ${GUEST_COOKIE}=${value}; b=2`, false, secret)).toEqual(guest);
    expect(readGuest("a=1", false, secret)).toBeUndefined();
    expect(readGuest(null, false, secret)).toBeUndefined();
  });

  it("proves no guest when a second, planted one names someone else", () => {
    const own = createGuestCookieValue(secret);
    const planted = createGuestCookieValue(secret);
    // A browser sends the cookie set for the narrower path first.
    expect(
      readGuest(`${GUEST_COOKIE}=${planted}; ${GUEST_COOKIE}=${own}`, false, secret),
    ).toBeUndefined();
    // The same one twice (two domains), or a forged one beside it, still proves the guest.
    const guest = verifyGuestCookie(own, secret);
    expect(readGuest(`${GUEST_COOKIE}=${own}; ${GUEST_COOKIE}=${own}`, false, secret)).toEqual(
      guest,
    );
    expect(readGuest(`${GUEST_COOKIE}=forged.x; ${GUEST_COOKIE}=${own}`, false, secret)).toEqual(
      guest,
    );
  });

  it("over https, reads only the __Host- cookie, which nobody else can plant", () => {
    const own = createGuestCookieValue(secret);
    const planted = createGuestCookieValue(secret);
    const guest = verifyGuestCookie(own, secret);
    // A fresh browser with only a cookie planted over http or from a sibling subdomain: no guest,
    // so the first demo page mints the visitor their own.
    expect(readGuest(`${GUEST_COOKIE}=${planted}`, true, secret)).toBeUndefined();
    expect(
      readGuest(`${GUEST_COOKIE}=${planted}; ${SECURE_GUEST_COOKIE}=${own}`, true, secret),
    ).toEqual(guest);
    expect(readGuest(`${SECURE_GUEST_COOKIE}=${own}`, false, secret)).toBeUndefined();
    expect(guestCookie(own, true)).toMatchObject({
      name: "__Host-se-guest",
      options: { secure: true, path: "/" },
    });
    expect(guestCookie(own, true).options).not.toHaveProperty("domain");
    expect(guestCookie(own, false)).toMatchObject({ name: "se-guest", options: { secure: false } });
  });
});
