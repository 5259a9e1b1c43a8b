import { isHttpsSite } from "@/lib/auth/request-scheme";
import { createGuestCookieValue, guestCookie, readGuest } from "./guest-cookie";

/** The demos: opening one without signing in makes you a guest, with no extra click. */
const demoPages = /^\/(?:chat|shapes)(?:\/|$)/u;

export type GuestCookie = ReturnType<typeof guestCookie>;

/**
 * The guest cookie a demo page's response must set, or `undefined` when the visitor already has a
 * valid one (or the page is not a demo). Only the proxy, a route handler or a server action may
 * set cookies, not the page itself, so `proxy.ts` mints it on the first visit. The new cookie is
 * also added to `requestHeaders`, so the page rendering this very request sees the guest too.
 * A signed-in visitor gets one as well: it is who they are after signing out.
 */
export function guestCookieForFirstVisit(
  url: URL,
  requestHeaders: Headers,
): GuestCookie | undefined {
  if (!demoPages.test(url.pathname)) return undefined;
  // As every reader decides it: the cookie's name depends on it.
  const isHttps = isHttpsSite(requestHeaders, url.href);
  if (readGuest(requestHeaders.get("cookie"), isHttps) !== undefined) return undefined;
  const cookie = guestCookie(createGuestCookieValue(), isHttps);
  const others = (requestHeaders.get("cookie") ?? "")
    .split(";")
    .map((part) => part.trim())
    .filter((part) => part !== "" && !part.startsWith(`${cookie.name}=`));
  requestHeaders.set("cookie", [...others, `${cookie.name}=${cookie.value}`].join("; "));
  return cookie;
}
