/**
 * The whole HTTP surface of a running server under random requests as an attacker sends them: any
 * method, any path segment, query, cookie (forged session and guest cookies included), header and
 * body, against every route the app serves — Server Events endpoints, services, sign-in and
 * sign-up (Auth.js and the server actions), pages, health, metrics, avatars and the Shapes
 * snapshot. Nothing may answer 500, and the server must come out of it alive and without an
 * unexpected error in its log. Runs on the memory provider and on each reachable cluster provider,
 * in both serve modes (SERVE_MODE).
 */
import { request as httpRequest } from "node:http";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hostileString } from "@/lib/server-events/testing/arbitraries";
import { body, contentTypeValue, query } from "@/lib/server-events/testing/request-arbitraries";
import { reachableProviders, type ClusterBackend } from "./support/cluster-providers";
import { nextServerFixture } from "./support/fixture";
import { randomToken, startNextServer, type NextServer } from "./support/next-server";

const server = nextServerFixture();

/**
 * `{s}` is a hostile segment, percent-encoded so that it stays one segment, and sometimes followed
 * by a raw escape that does not decode (`%ZZ`, a lone UTF-8 lead byte, a surrogate).
 */
const PATHS = [
  "/",
  "/{s}",
  "/chat",
  "/shapes",
  "/admin",
  "/signin",
  "/signup",
  "/healthz",
  "/readyz",
  "/metrics",
  "/avatars/{s}",
  "/avatars/{s}.svg",
  "/api/auth/{s}",
  "/api/auth/session",
  "/api/auth/csrf",
  "/api/auth/providers",
  "/api/auth/signout",
  "/api/auth/callback/credentials",
  "/api/auth/callback/{s}",
  "/shapes/api/snapshot",
  "/event-stream",
  "/event-heartbeat",
  "/event-unregister",
  "/event-subscribers",
  "/event-subscribers/{s}",
  "/api/{op}",
  "/json/reply/{op}",
  "/channels/{s}/chat",
  "/channels/{s}/raw",
  "/channels/{s}/object",
  "/channels/{s}/messages",
  // 404s under the route handlers' prefixes, which the proxy skips for anything but form posts.
  "/channels/{s}",
  "/api/{op}/{s}",
  "/event-stream/{s}",
] as const;

const OPERATIONS = [
  "GetEventSubscribers",
  "UpdateEventSubscriber",
  "UnRegisterEventSubscriber",
  "PostChatToChannel",
  "PostRawToChannel",
  "PostObjectToChannel",
  "GetChatHistory",
  "ResetServerEvents",
  "GetAdminOverview",
  "AdminUnregister",
  "AdminAnnounce",
];

/** Lone surrogates become U+FFFD, as a browser sends them (`encodeURIComponent` throws on them). */
const wellFormed = (value: string) =>
  value.replace(
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/gu,
    "\uFFFD",
  );
const encoded = (value: string) => encodeURIComponent(wellFormed(value));

/** Cookies a browser never sent: forged or mangled sessions and guests, and plain junk. */
const cookie = fc.oneof(
  fc.constant(undefined),
  hostileString(40).map((value) => `authjs.session-token=${encoded(value)}`),
  hostileString(40).map((value) => `__Secure-authjs.session-token=${encoded(value)}`),
  hostileString(40).map((value) => `se-guest=${encoded(value)}`),
  fc.constantFrom(
    "se-guest=v1.user1.guest.AAAA",
    "authjs.session-token=eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2Q0JDLUhTNTEyIn0..x.y.z",
    "authjs.csrf-token=x%7Cy",
    "=;;=;",
  ),
);

/** Header values Node's client will send (no CR, LF or NUL: those never reach a server). */
const sendable = (value: string) =>
  value.replace(/[\u0000-\u001f\u007f]/gu, "").replace(/[^\u0000-\u00ff]/gu, "?");
const headerText = hostileString(40).map(sendable);

const hostileRequest = fc.record({
  method: fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"),
  path: fc.constantFrom(...PATHS),
  segment: fc.oneof(hostileString(24), fc.constantFrom("..", ".", "%", "x.svg", "__proto__")),
  brokenEscape: fc.option(fc.constantFrom("%ZZ", "%FF", "%E0%A4", "%ED%A0%80", "%", "%2"), {
    nil: undefined,
  }),
  operation: fc.oneof(fc.constantFrom(...OPERATIONS), hostileString(16)),
  query: fc.option(query, { nil: undefined }),
  cookie,
  contentType: fc.option(contentTypeValue.map(sendable), { nil: undefined }),
  body,
  headers: fc.dictionary(
    fc.constantFrom(
      "accept",
      "last-event-id",
      "x-forwarded-for",
      "x-forwarded-host",
      "x-forwarded-proto",
      "origin",
      "next-action",
      "next-router-state-tree",
      "next-router-prefetch",
      "rsc",
      "authorization",
      "x-request-id",
    ),
    headerText,
    { maxKeys: 3 },
  ),
});

type HostileRequest = typeof hostileRequest extends fc.Arbitrary<infer T> ? T : never;

function pathOf(request: HostileRequest): string {
  const path = request.path
    .replace("{s}", encoded(request.segment) + (request.brokenEscape ?? ""))
    .replace("{op}", encoded(request.operation));
  return request.query === undefined ? path : `${path}?${encodeURI(wellFormed(request.query))}`;
}

/** Sends one request and answers with its status; a stream is dropped once its head arrived. */
function send(port: number, request: HostileRequest): Promise<number> {
  const payload =
    request.body === undefined || ["GET", "HEAD"].includes(request.method)
      ? undefined
      : typeof request.body === "string"
        ? Buffer.from(request.body)
        : Buffer.from(request.body);
  const headers: Record<string, string> = { ...request.headers };
  if (request.cookie !== undefined) headers.cookie = request.cookie;
  if (request.contentType !== undefined) headers["content-type"] = request.contentType;
  if (payload !== undefined) headers["content-length"] = String(payload.byteLength);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: "127.0.0.1", port, method: request.method, path: pathOf(request), headers },
      (res) => {
        resolve(res.statusCode ?? 0);
        res.destroy();
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error(`no answer to ${pathOf(request)}`)));
    req.on("error", reject);
    req.end(payload);
  });
}

/**
 * The property against one running server: `runs` hostile requests (FUZZ_RUNS scales them), none
 * answered with a 500, nothing unexpected logged, and the server still healthy after.
 */
function fuzzEveryRoute(running: () => NextServer, runs: number): void {
  const answered: { request: string; status: number }[] = [];

  afterAll(() => {
    expect(running().output()).not.toMatch(/unexpected error|request failed|⨯/u);
  });

  it("never get a 500, and the server stays up", async () => {
    const scale = (Number(process.env.FUZZ_RUNS) || 300) / 300;
    const numRuns = Math.max(1, Math.round(runs * scale));
    await fc.assert(
      fc.asyncProperty(hostileRequest, async (request) => {
        const status = await send(running().port, request);
        answered.push({ request: `${request.method} ${pathOf(request)}`, status });
        expect(status, `${request.method} ${pathOf(request)}`).toBeGreaterThanOrEqual(200);
        expect(status, `${request.method} ${pathOf(request)}`).toBeLessThan(500);
      }),
      { numRuns },
    );
    const health = await fetch(`${running().baseUrl}/healthz`);
    expect(health.status).toBe(200);
    // The property reached the routes it is about, not only 404s (a quick FUZZ_RUNS may not).
    const reached = new Set(answered.filter((a) => a.status !== 404).map((a) => a.status));
    if (numRuns >= 50) expect(reached.size).toBeGreaterThan(3);
  }, 300_000);
}

describe("hostile requests to every route (memory provider)", () => {
  fuzzEveryRoute(() => server().server, 300);
});

// The providers store what the requests carry (subscriptions, chat history): hostile bytes must
// not reach a 500 there either.
for (const provider of await reachableProviders("e2e/api/hostile-requests-fuzz.test.ts"))
  describe(`hostile requests to every route (${provider.name} provider)`, () => {
    let backend: ClusterBackend | undefined;
    let instance: NextServer | undefined;
    beforeAll(async () => {
      backend = await provider.setup();
      instance = await startNextServer({
        env: { ...backend.env, SSE_ADMIN_TOKEN: randomToken(32) },
      });
    });
    afterAll(async () => {
      await instance?.stop();
      await backend?.teardown();
    });
    fuzzEveryRoute(() => instance!, 100);
  });
