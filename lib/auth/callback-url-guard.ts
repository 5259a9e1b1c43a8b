type RouteHandler<R extends Request> = (request: R) => Promise<Response>;

/** Where Auth.js keeps the page to return to (`__Secure-` over HTTPS). */
const CALLBACK_COOKIES = ["authjs.callback-url", "__Secure-authjs.callback-url"] as const;

/** Auth.js's own test of a callback URL: a path on this site, or an absolute http(s) URL. */
function isHttpUrl(url: string, origin: string): boolean {
  try {
    return /^https?:$/u.test(new URL(url, url.startsWith("/") ? origin : undefined).protocol);
  } catch {
    return false;
  }
}

function cookieValue(request: Request, name: string): string | undefined {
  for (const part of (request.headers.get("cookie") ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at >= 0 && part.slice(0, at).trim() === name) {
      const raw = part.slice(at + 1).trim();
      try {
        return decodeURIComponent(raw);
      } catch {
        return raw;
      }
    }
  }
  return undefined;
}

function refusal(message: string, clearCookie?: string): Response {
  const headers = new Headers();
  // A cookie the browser would otherwise send again, and be refused again, on every sign-in.
  // (A `__Secure-` cookie can only be set, cleared too, with `Secure`.)
  if (clearCookie)
    headers.append(
      "set-cookie",
      `${clearCookie}=; Path=/; Max-Age=0${clearCookie.startsWith("__Secure-") ? "; Secure" : ""}`,
    );
  return Response.json({ error: message }, { status: 400, headers });
}

/**
 * Answers 400 naming the field to a `callbackUrl` (query) or callback-url cookie that is not a
 * path or an http(s) URL, before Auth.js sees it: Auth.js refuses those as a configuration error,
 * a 500 with a stack trace in the log (`GET /api/auth/signin?callbackUrl=javascript:…`).
 * Off-site http(s) URLs are Auth.js's `redirect` callback's to bring back on site.
 */
export function refuseInvalidCallbackUrls<R extends Request>(
  handler: RouteHandler<R>,
): RouteHandler<R> {
  return async (request) => {
    const url = new URL(request.url);
    const param = url.searchParams.get("callbackUrl");
    if (param && !isHttpUrl(param, url.origin))
      return refusal("'callbackUrl' must be a path on this site or an http(s) URL");
    for (const name of CALLBACK_COOKIES) {
      const value = cookieValue(request, name);
      if (value && !isHttpUrl(value, url.origin))
        return refusal(`The '${name}' cookie must be a path on this site or an http(s) URL`, name);
    }
    return handler(request);
  };
}
