import { pageHref } from "./browser";
import type { ServerEventMessage } from "./types";

/**
 * Which URLs a `window.location` (or `document.location`) message may navigate to: a list of
 * origins (`"https://example.com"`), or a predicate over the resolved URL.
 */
export type LocationPolicy = readonly string[] | ((url: URL) => boolean);

/** Navigation is a property set on a receiver: these ops are the objects that own `location`. */
const navigatingOps = new Set(["window", "document"]);

/**
 * Whether a message would navigate the page once a `window`/`document` receiver gets it. Receivers
 * drop the first `-` of the target and match names case-insensitively (see `invokeReceiver`), so
 * `window.LOCATION` and `window.loc-ation` reach `location` too.
 */
export function isNavigation(request: Pick<ServerEventMessage, "op" | "target">): boolean {
  return (
    navigatingOps.has(request.op) && request.target.replace("-", "").toLowerCase() === "location"
  );
}

function tryUrl(value: string, base: string | undefined): URL | undefined {
  try {
    return new URL(value, base);
  } catch {
    return undefined;
  }
}

/**
 * The URL a navigation message may go to, or `undefined` when it must be ignored. Only string
 * bodies are considered; they are resolved against the page (relative paths stay on it), and
 * `javascript:` or `data:` URLs, whose origin is opaque, never match an origin.
 *
 * @param policy allowed origins or a predicate. @default the page's own origin (or `baseUrl`'s
 * under Node), so that nobody who can publish to a channel can send its readers elsewhere.
 * @param baseUrl the client's base URL, used when there is no page.
 */
export function allowedLocation(
  body: unknown,
  policy: LocationPolicy | undefined,
  baseUrl?: string,
): URL | undefined {
  if (typeof body !== "string" || body.trim() === "") return undefined;
  const base = pageHref() ?? (baseUrl === undefined ? undefined : tryUrl(baseUrl, undefined)?.href);
  const url = tryUrl(body.trim(), base);
  if (url === undefined || (url.protocol !== "http:" && url.protocol !== "https:"))
    return undefined;
  if (typeof policy === "function") return policy(url) ? url : undefined;
  const origins = policy ?? (base === undefined ? [] : [new URL(base).origin]);
  return origins.includes(url.origin) ? url : undefined;
}
