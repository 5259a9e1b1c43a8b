/**
 * `Host`, `X-Forwarded-Host` and `X-Forwarded-Proto` as Auth.js and Next read them: when
 * `AUTH_URL` is unset, Auth.js builds the site's URL from them (`${proto}://${host}`) on every page
 * that reads the session, and a value no proxy would send (`https, http`, an empty or spaced
 * host) made that URL invalid and the page a 500. A list keeps its first entry (the proxy nearest
 * the client wrote it), an empty header counts as absent, and anything else malformed is refused.
 */

/** Nothing that ends the authority early or smuggles in userinfo; the URL parser does the rest. */
const hostShape = /^[^\s/?#@\\]+$/u;
/** The last host that passed: nearly every request carries the same one. */
let lastValidHost = "";

/** Whether `http://${value}` is a URL whose authority is `value`: a name or address, a port. */
function isHost(value: string): boolean {
  if (value === lastValidHost) return true;
  if (!hostShape.test(value) || !URL.canParse(`http://${value}`)) return false;
  lastValidHost = value;
  return true;
}

export interface HeaderAccess {
  get(name: string): string | undefined;
  set(name: string, value: string | undefined): void;
}

/** Which header is malformed or refused, the status that says so, and how, for an answer. */
export interface HeaderProblem {
  status: 400 | 403 | 411 | 413;
  header: string;
  message: string;
}

/** Normalises the three headers in place; answers the first malformed one, or null. */
export function settleProxyHeaders(headers: HeaderAccess): HeaderProblem | null {
  const host = headers.get("host");
  if (host !== undefined && !isHost(host))
    return {
      status: 400,
      header: "Host",
      message: "'Host' must be a host name or address, with an optional port",
    };
  const forwardedHost = firstEntry(headers.get("x-forwarded-host"));
  if (forwardedHost !== undefined && !isHost(forwardedHost))
    return {
      status: 400,
      header: "X-Forwarded-Host",
      message: "'X-Forwarded-Host' must be a host name or address, with an optional port",
    };
  headers.set("x-forwarded-host", forwardedHost);
  const proto = firstEntry(headers.get("x-forwarded-proto"))?.toLowerCase();
  if (proto !== undefined && proto !== "http" && proto !== "https")
    return {
      status: 400,
      header: "X-Forwarded-Proto",
      message: "'X-Forwarded-Proto' must be http or https",
    };
  headers.set("x-forwarded-proto", proto);
  return null;
}

/**
 * Whether Auth.js can build the site's URL from a request's headers exactly as they are: for code
 * that runs where nothing settled them first (a page rendered for a 404, which the proxy skips
 * under `next start`).
 */
export function hasUsableSiteHeaders(get: (name: string) => string | undefined): boolean {
  const proto = get("x-forwarded-proto");
  if (proto !== undefined && proto !== "http" && proto !== "https") return false;
  // Auth.js reads `x-forwarded-host ?? host`: an empty one counts.
  const host = get("x-forwarded-host") ?? get("host");
  return host !== undefined && isHost(host);
}

/**
 * A POST to a page is a server action (sign-in, sign-up): one sent from another site is refused
 * here with a 403, where Next would answer its own CSRF check, or an Origin it cannot parse, with a
 * 500. Same site means the Origin's host is the one the client asked for (`X-Forwarded-Host`, as
 * settled above, or `Host`), as Next checks it. Requests without an Origin (not from a browser)
 * pass, as they pass Next's check. Call it after {@link settleProxyHeaders}.
 */
export function refuseCrossSiteAction(method: string, headers: HeaderAccess): HeaderProblem | null {
  if (method !== "POST") return null;
  const origin = headers.get("origin");
  if (origin === undefined) return null;
  const host = headers.get("x-forwarded-host") ?? headers.get("host");
  if (host !== undefined && originHost(origin) === host) return null;
  return {
    status: 403,
    header: "Origin",
    message: "Forms here may only be sent from this site: 'Origin' names another one",
  };
}

/** A server action's id as Next writes it: a byte of flags and 20 bytes of hash, in hex. */
const actionId = /^[0-9a-f]{42}$/u;

/**
 * A 400 for a `Next-Action` header that cannot name one of Next's server actions: Next answers it
 * too, but logs a stack trace for each, so a loop of them would flood the logs.
 */
export function refuseMalformedActionId(headers: HeaderAccess): HeaderProblem | null {
  const action = headers.get("next-action");
  if (action === undefined || actionId.test(action)) return null;
  return {
    status: 400,
    header: "Next-Action",
    message: "'Next-Action' must be a server action's id: 42 lowercase hex digits",
  };
}

/** `host[:port]` of a serialised origin; undefined for `null` or anything else. */
function originHost(origin: string): string | undefined {
  if (!/^https?:\/\/[^/?#]+$/u.test(origin)) return undefined;
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

/** The first comma-separated entry, trimmed; undefined for a missing or empty header. */
function firstEntry(value: string | undefined): string | undefined {
  const first = value?.split(",", 1)[0]?.trim();
  return first ? first : undefined;
}
