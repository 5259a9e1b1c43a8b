import { NextResponse, type NextRequest } from "next/server";
import { buildContentSecurityPolicy, createNonce } from "@/lib/next/content-security-policy";
import { refuseBrokenForm } from "@/lib/next/form-body";
import { guestCookieForFirstVisit } from "@/lib/next/guest-on-first-visit";
import { refuseMalformedPath } from "@/lib/next/malformed-path";
import {
  refuseCrossSiteAction,
  refuseMalformedActionId,
  settleProxyHeaders,
} from "@/lib/next/proxy-headers";

/**
 * A fresh nonce and Content-Security-Policy for every page. Next reads the nonce from the
 * *request's* CSP header while it renders and stamps it on its own scripts, so pages must render
 * per request (they all read the session, which already makes them dynamic). The headers that
 * never change (nosniff, frame and referrer policies) come from `next.config.mjs` instead.
 * A first visit to a demo page also makes the visitor a guest (the `se-guest` cookie). Before
 * any of that, malformed `Host`/`X-Forwarded-*` headers get a 400 and form posts (server actions)
 * from another site a 403 and a `Next-Action` header that names no possible action a 400
 * (lib/next/proxy-headers.ts), a form whose body is not the
 * multipart it claims (lib/next/form-body.ts), and a path that is not valid percent-encoding a 400
 * (lib/next/malformed-path.ts): Next and Auth.js would answer each with a 500, or a stack trace
 * in the log.
 *
 * @see https://nextjs.org/docs/app/guides/content-security-policy#adding-a-nonce-with-proxy
 */
export async function proxy(request: NextRequest): Promise<Response> {
  const malformed = refuseMalformedPath(request.nextUrl.pathname);
  if (malformed) return malformed;
  const requestHeaders = new Headers(request.headers);
  // Under `next start` nothing else sees a page's request first (npm start's server does too).
  const headers = {
    get: (name: string) => requestHeaders.get(name) ?? undefined,
    set: (name: string, value: string | undefined) =>
      value === undefined ? requestHeaders.delete(name) : requestHeaders.set(name, value),
  };
  const problem =
    settleProxyHeaders(headers) ??
    refuseCrossSiteAction(request.method, headers) ??
    refuseMalformedActionId(headers) ??
    (await refuseBrokenForm(request));
  if (problem) return new NextResponse(`${problem.message}\n`, { status: problem.status });
  const policy = buildContentSecurityPolicy({
    nonce: createNonce(),
    // Raw on purpose: Next inlines NODE_ENV at build time, in the proxy as everywhere else.
    isDevelopment: process.env.NODE_ENV === "development",
    // Next derives the protocol from the socket or from X-Forwarded-Proto behind a TLS proxy.
    isHttps: request.nextUrl.protocol === "https:",
  });
  requestHeaders.set("content-security-policy", policy);
  const guest = guestCookieForFirstVisit(request.nextUrl, requestHeaders);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", policy);
  if (guest) response.cookies.set(guest.name, guest.value, guest.options);
  return response;
}

export const config = {
  matcher: [
    {
      // Pages only. The Server Events endpoints, route handlers and static files skip the proxy:
      // a heartbeat every few seconds per tab should not pay for a policy nobody reads (CSP only
      // matters for documents). Every route handler under app/ must be listed here; a unit test
      // (lib/next/proxy-matcher.test.ts) walks app/ and fails when one is missing. The literal
      // string is required: Next reads the matcher at build time.
      source:
        "/((?!(?:api|channels|event-stream|event-heartbeat|event-unregister|event-subscribers|json/reply|metrics|healthz|readyz|avatars|shapes/api|bench)(?:/|$)|_next/static/|_next/image(?:/|$)|favicon\\.ico$|robots\\.txt$|sitemap\\.xml$).*)",
      // Router prefetches too, though they fetch RSC payloads, not documents: Next takes a POST
      // that carries one and an empty `Next-Action` (which no `has` below can see) for a server
      // action, and its own Origin check answers a malformed Origin with a 500. Next hides the
      // prefetch header from the proxy, so a prefetched demo page makes its visitor a guest too.
    },
    // What Next takes for a server action, on any path, route handlers' and 404s' included: a
    // multipart POST, or a request naming an action. Next answers a broken or cross-site one with
    // a 500 wherever it lands; the proxy refuses those first.
    {
      source: "/:path*",
      has: [{ type: "header", key: "content-type", value: "multipart/form-data.*" }],
    },
    { source: "/:path*", has: [{ type: "header", key: "next-action" }] },
    // A percent-escape that may not decode (not two hex digits, or a byte past ASCII), on any
    // path: Next answers an undecodable one with a 500 wherever it lands; the proxy answers 400.
    { source: "/(.*%(?![0-7][0-9A-Fa-f]).*)" },
  ],
};
