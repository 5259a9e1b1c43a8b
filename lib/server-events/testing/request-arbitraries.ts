import fc from "fast-check";
import { expect } from "vitest";
import { ServerEventsError } from "../errors";
import { headerValue, hostileJson, hostileString } from "./arbitraries";

/**
 * Requests as an attacker may send them: any method Fetch allows, any Content-Type and
 * Content-Length (honest or not), bodies of random bytes, JSON, form encoding or pathological
 * nesting, any query string and any header values.
 */
export const origin = "http://127.0.0.1:3000";

export const method = fc.oneof(
  fc.constantFrom("GET", "POST", "PUT", "DELETE", "HEAD", "PATCH", "OPTIONS", "post", "get"),
  // Any other token Fetch accepts (it refuses CONNECT, TRACE and TRACK outright).
  fc
    .stringMatching(/^[A-Za-z]{1,8}$/u)
    .filter((name) => !["CONNECT", "TRACE", "TRACK"].includes(name.toUpperCase())),
);

export const contentTypeValue = fc.oneof(
  fc.constantFrom(
    "application/json",
    "application/json; charset=utf-8",
    "APPLICATION/JSON",
    "text/json",
    "application/x-www-form-urlencoded",
    "application/x-www-form-urlencoded; charset=utf-8",
    "multipart/form-data; boundary=x",
    "text/plain",
    "application/xml",
    "",
  ),
  headerValue,
);
export const contentType = fc.option(contentTypeValue, { nil: undefined });

/** Content-Length as sent, honest or not: Fetch passes whatever header the caller set. */
export const contentLengthValue = fc.oneof(
  fc.nat().map(String),
  fc.constantFrom("-1", "abc", "1e9", "2097153", "9".repeat(30), " 5 ", "0x10", "Infinity"),
  headerValue,
);
export const contentLength = fc.option(contentLengthValue, { nil: undefined });

/** Deep enough to overflow any recursive walk of the parsed value (JSON.parse itself copes). */
export const deeplyNestedJson = fc
  .record({
    depth: fc.integer({ min: 1, max: 20_000 }),
    open: fc.constantFrom("[", '{"customType":'),
    key: fc.constantFrom("customType", "subscribeChannels", "message"),
  })
  .map(({ depth, open, key }) => {
    const close = open === "[" ? "]" : "}";
    return `{"${key}":${open.repeat(depth)}1${close.repeat(depth)}}`;
  });

export const pairs = fc.array(fc.tuple(hostileString(12), hostileString(24)), { maxLength: 6 });

export const body = fc.oneof(
  fc.constant(undefined),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => new Uint8Array(bytes)),
  fc.constantFrom(
    "",
    "   ",
    "\n",
    "{",
    "}",
    "[]",
    "null",
    "1",
    '"x"',
    "{}",
    '{"__proto__":{"x":1}}',
  ),
  hostileString(64),
  hostileJson.map((value) => JSON.stringify(value)),
  fc.dictionary(hostileString(12), hostileJson, { maxKeys: 5 }).map((o) => JSON.stringify(o)),
  pairs.map((entries) => new URLSearchParams(entries).toString()),
  deeplyNestedJson,
);

export const query = fc.oneof(
  hostileString(40),
  pairs.map((entries) => new URLSearchParams(entries).toString()),
);

export const headers = fc.dictionary(
  fc.constantFrom("last-event-id", "authorization", "x-forwarded-host", "accept", "cookie"),
  headerValue,
  { maxKeys: 3 },
);

export interface RequestParts {
  method: string;
  contentType: string | undefined;
  contentLength: string | undefined;
  body: string | Uint8Array<ArrayBuffer> | undefined;
  query: string;
  headers: Record<string, string>;
}

export const requestParts: fc.Arbitrary<RequestParts> = fc.record({
  method,
  contentType,
  contentLength,
  body,
  query,
  headers,
});

/** Builds the request with Fetch's own rules: no body on GET and HEAD, the rest as given. */
export function buildRequest(parts: RequestParts, path = "/api/Anything"): Request {
  const url = new URL(path, origin);
  url.search = parts.query;
  const headers = new Headers(parts.headers);
  if (parts.contentType !== undefined) headers.set("content-type", parts.contentType);
  if (parts.contentLength !== undefined) headers.set("content-length", parts.contentLength);
  const hasBody = !["GET", "HEAD"].includes(parts.method.toUpperCase());
  return new Request(url, {
    method: parts.method,
    headers,
    body: hasBody ? parts.body : undefined,
  });
}

export function expect4xx(error: unknown): void {
  if (!(error instanceof ServerEventsError)) throw error;
  expect(error.status).toBeGreaterThanOrEqual(400);
  expect(error.status).toBeLessThan(500);
}
