import { ServerEventsError } from "../errors";
import type { IdentityResolver } from "../identity";
import type { RequestHead } from "./request-head";

/** Why a request comes from another site's page (a 403 to answer with), or null. */
export type OtherSiteCheck = (request: RequestHead) => ServerEventsError | null;

/**
 * Requests that another site's page made a visitor's browser send, with the visitor's cookies (a
 * form, an image, a fetch): every endpoint refuses them with a 403 naming the header, so that none
 * can act for a visitor because another site asked their browser to.
 *
 * - `Sec-Fetch-Site: cross-site` or `same-site` (a sibling subdomain is another site too): refused.
 * - An `Origin` whose host is not the one the client asked for (`X-Forwarded-Host` or `Host`;
 *   a page cannot set either) nor one of `trustedOrigins`: refused, `Origin: null` included.
 * - Neither header (ServiceStack's clients, curl, servers): allowed, as is `Sec-Fetch-Site: none`
 *   (an address typed into the browser).
 */
export function otherSiteCheck(trustedOrigins: readonly string[] = []): OtherSiteCheck {
  const trusted = new Set(trustedOrigins.map((origin) => origin.toLowerCase()));
  return (request) => {
    const origin = request.headers.get("origin");
    if (origin !== null && trusted.has(origin.toLowerCase())) return null;
    return otherSiteRefusal(request, origin);
  };
}

/**
 * The identity resolver behind the same check: whatever reads the visitor's cookies refuses
 * another site's request too, also in a service that does not start with the check.
 */
export function sameOriginOnly(resolve: IdentityResolver, check: OtherSiteCheck): IdentityResolver {
  return (request) => {
    const refused = check(request);
    return refused ? Promise.reject(refused) : resolve(request);
  };
}

/** Why a request comes from another site's page, or null when it does not. */
function otherSiteRefusal(request: RequestHead, origin: string | null): ServerEventsError | null {
  const site = request.headers.get("sec-fetch-site");
  if (site === "cross-site" || site === "same-site")
    return new ServerEventsError(
      "forbidden",
      `Requests here may only come from this site's pages: 'Sec-Fetch-Site' is ${site}`,
      { field: "Sec-Fetch-Site" },
    );
  if (origin === null) return null;
  const host = originHost(origin);
  const forwardedHost = request.headers.get("x-forwarded-host")?.split(",", 1)[0]?.trim();
  const asked = [forwardedHost, request.headers.get("host")].map((name) => name?.toLowerCase());
  if (host !== undefined && asked.includes(host)) return null;
  return new ServerEventsError(
    "forbidden",
    "Requests here may only come from this site's pages: 'Origin' names another one",
    { field: "Origin" },
  );
}

/** `host[:port]` of a serialised http(s) origin, lower case; undefined for `null` or junk. */
function originHost(origin: string): string | undefined {
  if (!/^https?:\/\/[^/?#@]+$/iu.test(origin)) return undefined;
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}
