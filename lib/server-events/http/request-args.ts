import { invalidArgument, ServerEventsError } from "../errors";

/** Service bodies are small DTOs; chat payloads may be up to this large (1 MB messages are tested). */
const MAX_BODY_BYTES = 2 * 1024 * 1024;

/**
 * Keys in one query string or one form body. ServiceStack's DTOs have a handful, and a
 * subscription at most 100 channels; without a cap, 2 MB of `x=&x=&…` is a quarter of a
 * million values to bind.
 */
const MAX_PARAMETERS = 1000;

/** The values of a route's path: `/channels/{channel}/chat` → `{ channel }`. */
export type RouteValues = Readonly<Record<string, string>>;

/**
 * Request arguments the way ServiceStack binds them: route values, then the query string, then a
 * JSON or form body, with keys matched case-insensitively (`Channels`, `channels`, `CHANNELS`).
 */
export class RequestArgs {
  private constructor(
    private readonly values: Map<string, unknown>,
    private readonly names: Map<string, string>,
  ) {}

  /** Route values win over the query and the body, as ServiceStack binds route parameters. */
  static async from(request: Request, route: RouteValues = {}): Promise<RequestArgs> {
    const values = new Map<string, unknown>();
    const names = new Map<string, string>();
    const url = new URL(request.url);
    const routed = new Set<string>();
    for (const [key, value] of Object.entries(route)) {
      values.set(key.toLowerCase(), value);
      names.set(key.toLowerCase(), key);
      routed.add(key.toLowerCase());
    }
    let count = 0;
    for (const [key, value] of url.searchParams) {
      if (++count > MAX_PARAMETERS) throw tooManyParameters("query");
      if (routed.has(key.toLowerCase())) continue;
      appendValue(values, key, value);
      names.set(key.toLowerCase(), key);
    }
    if (request.method !== "GET" && request.method !== "HEAD" && request.body)
      for (const [key, value] of await readBody(request)) {
        // Values in the URL (route and query) win over the body, as route parameters should.
        if (values.has(key.toLowerCase())) continue;
        values.set(key.toLowerCase(), value);
        names.set(key.toLowerCase(), key);
      }
    return new RequestArgs(values, names);
  }

  /** A single string value, or undefined. Arrays and objects are refused with a 400 naming `name`. */
  string(name: string): string | undefined {
    const value = this.values.get(name.toLowerCase());
    if (value === undefined || value === null) return undefined;
    if (Array.isArray(value)) return value.length === 0 ? undefined : this.only(name, value);
    if (typeof value === "string") return value;
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    throw invalidArgument(name, `'${name}' must be a string`);
  }

  requiredString(name: string): string {
    const value = this.string(name);
    if (value === undefined || value === "") throw invalidArgument(name, `'${name}' is required`);
    return value;
  }

  /** A list given as a JSON array, repeated keys, or a comma-separated string. */
  list(name: string): string[] | undefined {
    const value = this.values.get(name.toLowerCase());
    if (value === undefined || value === null) return undefined;
    const items = Array.isArray(value) ? (value as unknown[]) : [value];
    return items.map((item) => {
      if (typeof item !== "string")
        throw invalidArgument(name, `'${name}' must be a list of strings`);
      return item;
    });
  }

  /** Every argument under the name the caller used (for typed objects in PostObjectToChannel). */
  entries(): [name: string, value: unknown][] {
    return [...this.values].map(([key, value]) => [this.names.get(key) ?? key, value]);
  }

  /** The raw value (for typed objects in PostObjectToChannel). */
  value(name: string): unknown {
    return this.values.get(name.toLowerCase());
  }

  private only(name: string, values: unknown[]): string {
    if (values.length > 1 || typeof values[0] !== "string")
      throw invalidArgument(name, `'${name}' must be a single string`);
    return values[0];
  }
}

/**
 * A repeated key becomes the list of its values. The list is this map's own (query and form values
 * only ever get here), so it grows in place: a copy per value made binding quadratic.
 */
function appendValue(values: Map<string, unknown>, key: string, value: string): void {
  const lower = key.toLowerCase();
  const existing = values.get(lower) as string | string[] | undefined;
  if (existing === undefined) values.set(lower, value);
  else if (Array.isArray(existing)) existing.push(value);
  else values.set(lower, [existing, value]);
}

function tooManyParameters(field: "query" | "body"): ServerEventsError {
  const where = field === "query" ? "The query string" : "The form body";
  return invalidArgument(field, `${where} has more than ${MAX_PARAMETERS} parameters`);
}

async function readBody(request: Request): Promise<Iterable<[string, unknown]>> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  const text = await readTextWithin(request, MAX_BODY_BYTES);
  if (text.trim() === "") return [];
  const type = request.headers.get("content-type") ?? "";
  if (type.includes("application/x-www-form-urlencoded")) {
    const form = new Map<string, unknown>();
    let count = 0;
    for (const [key, value] of new URLSearchParams(text)) {
      if (++count > MAX_PARAMETERS) throw tooManyParameters("body");
      appendValue(form, key, value);
    }
    return form;
  }
  if (type.includes("json") || /^\s*\{/u.test(text)) {
    const parsed = parseJson(text);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
      throw invalidArgument("body", "The request body must be a JSON object");
    return Object.entries(parsed);
  }
  throw new ServerEventsError(
    "unsupported_media_type",
    `Unsupported Content-Type '${type}': send JSON or application/x-www-form-urlencoded`,
    { field: "body" },
  );
}

/** Reads the body as UTF-8, giving up as soon as it passes `limit` bytes (chunked bodies too). */
async function readTextWithin(request: Request, limit: number): Promise<string> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const decoder = new TextDecoder();
  let size = 0;
  let text = "";
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    size += read.value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge(limit);
    }
    text += decoder.decode(read.value, { stream: true });
  }
  return text + decoder.decode();
}

function tooLarge(limit = MAX_BODY_BYTES): ServerEventsError {
  return new ServerEventsError("payload_too_large", `The request body exceeds ${limit} bytes`, {
    field: "body",
  });
}

/** A JSON body read no further than `limit` bytes (413 past it, 400 when it is not JSON). */
export async function readJsonWithin(request: Request, limit: number): Promise<unknown> {
  if (Number(request.headers.get("content-length") ?? 0) > limit) throw tooLarge(limit);
  return parseJson(await readTextWithin(request, limit));
}

/**
 * JSON.parse copes with any depth, but publishing the value (JSON.stringify) recurses and overflows
 * the stack a few thousand levels down: a 10 KB body of `[[[…]]]` was a 500. DTOs nest a few
 * levels, so deeper bodies are refused before they are parsed.
 */
const MAX_JSON_DEPTH = 64;

function parseJson(text: string): unknown {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === "\\") i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if ((char === "{" || char === "[") && ++depth > MAX_JSON_DEPTH)
      throw invalidArgument("body", `The request body nests deeper than ${MAX_JSON_DEPTH} levels`);
    else if (char === "}" || char === "]") depth--;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw invalidArgument("body", "The request body is not valid JSON", cause);
  }
}
