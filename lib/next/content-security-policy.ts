/** What a page's policy depends on; everything else is fixed for the whole app. */
export interface ContentSecurityPolicyOptions {
  /**
   * Allows this response's own scripts and nothing else: a fresh {@link createNonce} per response.
   * Base64 only, so it can never end the directive and smuggle in one of its own.
   */
  nonce: string;
  /**
   * `next dev`: React uses `eval` there to rebuild server error stacks in the browser. Production
   * React and Next never call `eval`, so production pages never get `'unsafe-eval'`.
   * @default false
   * @see https://nextjs.org/docs/app/guides/content-security-policy#development-environment
   */
  isDevelopment?: boolean;
  /**
   * The page was served over https (directly or behind a TLS-terminating proxy): ask the browser
   * to fetch every `http:` sub-resource over https. Over plain http — `npm start` on a laptop —
   * that would break every same-origin request, so it is left out.
   * @default false
   * @see https://www.w3.org/TR/upgrade-insecure-requests/#delivery
   */
  isHttps?: boolean;
}

type Directive = readonly [name: string, sources: readonly string[]];

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/u;

/** 16 random bytes (128 bits), base64: a `nonce-source` for one response. */
export function createNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}

/**
 * The `Content-Security-Policy` of every page, as one header value.
 *
 * Scripts run only with this response's nonce (`'strict-dynamic'` lets those scripts load the
 * page's chunks), so injected markup cannot execute anything; the page cannot be framed, cannot
 * rewrite `<base>`, cannot post forms elsewhere and cannot open connections to other origins.
 *
 * @throws RangeError when `nonce` is not base64 (never escaped silently: see the option).
 * @see https://www.w3.org/TR/CSP3/
 * @see https://nextjs.org/docs/app/guides/content-security-policy
 */
export function buildContentSecurityPolicy(options: ContentSecurityPolicyOptions): string {
  const { nonce, isDevelopment = false, isHttps = false } = options;
  if (!BASE64.test(nonce)) throw new RangeError("The CSP nonce must be base64");
  const devOnly = isDevelopment ? ["'unsafe-eval'"] : [];
  const directives: Directive[] = [
    ["default-src", ["'self'"]],
    // 'self' only counts in CSP2 browsers; CSP3 browsers drop it in favour of 'strict-dynamic'.
    ["script-src", ["'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...devOnly]],
    // 'unsafe-inline' because React renders `style` props as `style="…"` attributes in the
    // server HTML (the shapes toolbar's colour swatches), and a nonce can only ever cover <style>
    // elements, never attributes. No nonce here on purpose: next to a nonce, browsers ignore
    // 'unsafe-inline'. Styles cannot run script; the cost is CSS-based tricks on injected markup.
    ["style-src", ["'self'", "'unsafe-inline'"]],
    // https: is a conscious choice: the chat's TV (`/tv.watch <url>`) shows any image or video URL
    // a user posts. Images cannot run script; the cost is that any https server a user names
    // sees the viewers' IP addresses, and injected CSS could leak text to one through url().
    ["img-src", ["'self'", "data:", "blob:", "https:"]],
    ["media-src", ["'self'", "https:"]],
    // YouTube's privacy-enhanced embed, and no other frame.
    ["frame-src", ["https://www.youtube-nocookie.com"]],
    ["connect-src", ["'self'"]],
    ["font-src", ["'self'"]],
    ["object-src", ["'none'"]],
    ["base-uri", ["'self'"]],
    ["form-action", ["'self'"]],
    ["frame-ancestors", ["'none'"]],
    ...(isHttps ? [["upgrade-insecure-requests", []] as const] : []),
  ];
  return directives.map(([name, sources]) => [name, ...sources].join(" ")).join("; ");
}
