import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { concatBytes, type HeaderReader, type LazyRequest } from "@/lib/server-events";

/**
 * Bodies declared this small are read into memory before the `Request` is built: cheaper than a
 * web stream over the socket. Larger or chunked bodies are streamed, so the core's size limit
 * still stops reading at its limit.
 */
const BUFFERED_BODY_BYTES = 64 * 1024;

/** A Host header that cannot change where the URL's path or query begins. */
const safeHost = /^[A-Za-z0-9.-]*(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/u;

/** The absolute URL of a request, as a Fetch server would report it. */
export function requestUrl(req: IncomingMessage): string {
  const host = req.headers.host;
  const authority = host && safeHost.test(host) ? host : "localhost";
  return `http://${authority}${req.url ?? "/"}`;
}

/**
 * What Next's server adds to every request that lacks them (base-server.ts), so a subscription's
 * `userAddress` and Auth.js's choice of cookie come out the same whichever server answered.
 */
function forwardedDefault(req: IncomingMessage, name: string): string | undefined {
  if (name === "x-forwarded-for") return req.socket.remoteAddress;
  if (name === "x-forwarded-proto")
    return (req.socket as { encrypted?: boolean }).encrypted ? "https" : "http";
  if (name === "x-forwarded-host") return req.headers.host;
  return undefined;
}

const forwardedNames = ["x-forwarded-for", "x-forwarded-proto", "x-forwarded-host"] as const;

/** Node's headers object (names already lower-case) read the way `Headers#get` reads. */
class NodeHeaders implements HeaderReader {
  constructor(private readonly req: IncomingMessage) {}

  get(name: string): string | null {
    const lower = name.toLowerCase();
    const value = this.req.headers[lower] ?? forwardedDefault(this.req, lower);
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(", ") : value;
  }
}

/**
 * An `IncomingMessage` seen through the core's {@link LazyRequest}: method, URL and headers cost
 * next to nothing; the Fetch `Request` (25–40 µs on Node 20) is built only if a hook asks for it.
 */
export class NodeRequest implements LazyRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: HeaderReader;
  private request: Request | undefined;

  /** `res`, when given, aborts the built request's `signal` once the response closes. */
  constructor(
    private readonly req: IncomingMessage,
    private readonly res?: ServerResponse,
  ) {
    this.method = req.method ?? "GET";
    this.url = requestUrl(req);
    this.headers = new NodeHeaders(req);
  }

  toRequest(): Request {
    this.request ??= new Request(this.url, {
      method: this.method,
      headers: fetchHeaders(this.req),
      body: hasBody(this.req) ? (Readable.toWeb(this.req) as ReadableStream<Uint8Array>) : null,
      signal: this.res && closeSignal(this.res),
      duplex: "half",
    } as RequestInit);
    return this.request;
  }
}

/** The whole request as a Fetch `Request`, for the endpoints that read a body (publishes). */
export async function toFetchRequestWithBody(
  req: IncomingMessage,
  url = requestUrl(req),
): Promise<Request> {
  const init: RequestInit & { duplex?: "half" } = {
    method: req.method ?? "GET",
    headers: fetchHeaders(req),
  };
  if (hasBody(req)) {
    const declared = Number(req.headers["content-length"]);
    if (Number.isSafeInteger(declared) && declared <= BUFFERED_BODY_BYTES)
      init.body = await readAll(req);
    else {
      init.body = Readable.toWeb(req) as ReadableStream<Uint8Array>;
      init.duplex = "half";
    }
  }
  return new Request(url, init);
}

function closeSignal(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  if (res.destroyed || res.writableFinished) controller.abort();
  else res.once("close", () => controller.abort());
  return controller.signal;
}

function hasBody(req: IncomingMessage): boolean {
  if (req.method === "GET" || req.method === "HEAD") return false;
  return (
    req.headers["transfer-encoding"] !== undefined || Number(req.headers["content-length"]) > 0
  );
}

/**
 * Every header line, duplicates kept (`rawHeaders` alternates names and values), but the
 * `X-Forwarded-*` ones as `req.headers` holds them: the server settles those there (the address
 * the nearest proxy saw, appended; checked host and proto), and the raw lines are what the client
 * wrote, which would let it choose its own address and escape every per-address limit.
 */
function fetchHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    // HTTP/2 pseudo-headers (":path") are not header names a Request accepts.
    if (name.startsWith(":") || isForwarded(name)) continue;
    headers.append(name, raw[i + 1]!);
  }
  for (const name of forwardedNames) {
    const settled = req.headers[name];
    const value = Array.isArray(settled)
      ? settled.join(", ")
      : (settled ?? forwardedDefault(req, name));
    if (value !== undefined) headers.set(name, value);
  }
  return headers;
}

function isForwarded(name: string): boolean {
  return (forwardedNames as readonly string[]).includes(name.toLowerCase());
}

async function readAll(req: IncomingMessage): Promise<Uint8Array<ArrayBuffer>> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of req) {
    chunks.push(chunk as Buffer);
    length += (chunk as Buffer).byteLength;
  }
  // One copy into a buffer of its own (a Buffer may share Node's pool, which a body must not).
  return concatBytes(chunks, length);
}
