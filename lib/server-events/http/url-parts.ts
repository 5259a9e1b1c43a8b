/**
 * The parts of a request's absolute URL the handlers read, without building a whole `URL` (a few
 * microseconds each, on every stream and heartbeat). A Fetch `Request`'s URL is serialised by the
 * URL parser, so slicing it reads what `URL` would. The Node adapter's URL is the raw request
 * line's: there a tab, which `URL` would drop, stays and makes the value invalid — stricter,
 * never looser.
 */

/** Where the path begins: after `scheme://authority`, or 0 for a URL that is only a path. */
function pathStart(url: string): number {
  const scheme = url.indexOf("://");
  if (scheme < 0) return 0;
  // The authority ends at the path, the query or the fragment, whichever comes first.
  for (let i = scheme + 3; i < url.length; i++) {
    const c = url.charCodeAt(i);
    if (c === 0x2f /* / */ || c === 0x3f /* ? */ || c === 0x23 /* # */) return i;
  }
  return url.length;
}

/** `/event-heartbeat` of `http://host/event-heartbeat?id=1#top`; `/` when the URL has no path. */
export function pathnameOf(url: string): string {
  const start = pathStart(url);
  let end = start;
  while (end < url.length && url[end] !== "?" && url[end] !== "#") end++;
  return start === end ? "/" : url.slice(start, end);
}

/** The query of a URL, without its fragment, as `URLSearchParams`. */
export function queryOf(url: string): URLSearchParams {
  const hash = url.indexOf("#", pathStart(url));
  const start = url.indexOf("?", pathStart(url));
  if (start < 0 || (hash >= 0 && hash < start)) return new URLSearchParams();
  // From the `?` itself: URLSearchParams drops exactly one leading `?`, so `??id=x` keeps its
  // second one in the name, as `URL` does.
  return new URLSearchParams(url.slice(start, hash < 0 ? undefined : hash));
}
