/**
 * Headers that are the same on every response — pages, the event stream, JSON APIs and static
 * files alike. Next adds them while routing, without running code per request; the per-request
 * Content-Security-Policy of pages comes from `proxy.ts`.
 */
const securityHeaders = [
  // Browsers must trust Content-Type (text/event-stream, application/json) and never sniff a
  // response into HTML or script.
  { key: "X-Content-Type-Options", value: "nosniff" },
  // Full URLs (with ?channels=…) stay on this site; other origins see only the origin.
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  // Clickjacking, for browsers older than CSP's frame-ancestors 'none'.
  { key: "X-Frame-Options", value: "DENY" },
  // No page here needs these; an injected frame or script cannot ask for them either.
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Node libraries; keep them out of the bundle (PGlite loads its wasm files from its own path).
  serverExternalPackages: ["pg", "pino", "prom-client", "@electric-sql/pglite"],
  // forbidden(): /admin answers non-admins with app/forbidden.tsx and a real 403 status.
  experimental: { authInterrupts: true },
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

export default nextConfig;
