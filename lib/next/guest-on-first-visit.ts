import { isHttpsRequest } from "@/lib/auth/request-scheme";
import {
  createGuestCookieValue,
  GUEST_COOKIE,
  guestCookieOptions,
  readGuest,
} from "./guest-cookie";

/** The demos: opening one without signing in makes you a guest, with no extra click. */
const demoPages = /^\/(?:chat|shapes)(?:\/|$)/u;

export interface GuestCookie {
  name: typeof GUEST_COOKIE;
  value: string;
  options: ReturnType<typeof guestCookieOptions>;
}

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
  if (readGuest(requestHeaders.get("cookie")) !== undefined) return undefined;
  const value = createGuestCookieValue();
  const others = (requestHeaders.get("cookie") ?? "")
    .split(";")
    .map((part) => part.trim())
    .filter((part) => part !== "" && !part.startsWith(`${GUEST_COOKIE}=`));
  requestHeaders.set("cookie", [...others, `${GUEST_COOKIE}=${value}`].join("; "));
  const isHttps = url.protocol === "https:" || isHttpsRequest(requestHeaders);
  return { name: GUEST_COOKIE, value, options: guestCookieOptions(isHttps) };
}
