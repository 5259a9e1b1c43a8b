/** Where people land when `next` or `callbackUrl` is missing or points off-site. */
export const DEFAULT_REDIRECT_PATH = "/chat";

/**
 * Any origin works for resolving: only "is it still this origin?" matters, and `.invalid` can never
 * be a real host (RFC 2606), so a value cannot accidentally match it.
 */
const PLACEHOLDER_ORIGIN = "http://x.invalid";
const MAX_LENGTH = 2048;

/*
 * Refused before parsing. The URL parser drops tabs and newlines ("/\t/evil" becomes "//evil") and
 * reads "\" as "/" — and so do browsers when they follow a Location header. Such characters never
 * appear in a link this site makes, so refusing is simpler and safer than reproducing the rules.
 */
const refusedCharacters = /[\u0000-\u001f\u007f\\]/u;

export interface SafeRedirectOptions {
  /** The site's origin; absolute URLs are accepted only when they are on it. @default a placeholder */
  origin?: string;
  /** Returned for anything that would leave the site. @default "/chat" */
  fallback?: string;
}

/**
 * A same-origin, relative redirect target (`/path?query#hash`) for an untrusted `next` or
 * `callbackUrl`; the fallback when the value would lead anywhere else. The value is resolved like a
 * browser would resolve it, so `//evil`, `/\evil`, `javascript:` and friends all fail the origin
 * check instead of slipping past a prefix test.
 *
 * The result is relative on purpose: Next reports request URLs as `localhost`, so an absolute URL
 * built from the request could point at a host the browser has no cookies for.
 * @see https://cheatsheetseries.owasp.org/cheatsheets/Unvalidated_Redirects_and_Forwards_Cheat_Sheet.html
 */
export function safeRedirectPath(value: unknown, options: SafeRedirectOptions = {}): string {
  const { origin = PLACEHOLDER_ORIGIN, fallback = DEFAULT_REDIRECT_PATH } = options;
  if (typeof value !== "string" || value === "" || value.length > MAX_LENGTH) return fallback;
  if (refusedCharacters.test(value)) return fallback;
  let url: URL;
  try {
    url = new URL(value, origin);
  } catch {
    return fallback;
  }
  if (url.origin !== new URL(origin).origin) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // Dot segments can leave a path that starts with "//" ("/.//evil"), which a browser would read as
  // another host; an encoded one ("/%2F%2Fevil", "/%5Cevil") becomes such a path if anything along
  // the way decodes it once more.
  return isHostLike(url.pathname) || isHostLike(decodeOrEmpty(url.pathname)) ? fallback : path;
}

const isHostLike = (path: string) => !path.startsWith("/") || /^\/[/\\]/u.test(path);

function decodeOrEmpty(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return "";
  }
}
