import type { CallerIdentity } from "@/lib/server-events/identity";
import {
  ADMIN_TOKEN,
  origin,
  type FuzzServer,
  type IdRef,
} from "@/lib/server-events/testing/fuzz-server";
import {
  endpoints,
  type FieldValue,
  type Mutation,
  type RequestSpec,
  type Target,
} from "./service-request-specs";

/** The request before it is rendered: starts from the template, then each mutation applies. */
interface Draft {
  args: [string, FieldValue][];
  placement: "json" | "form" | "query";
  method: string;
  operation: string;
  routeId: IdRef | null;
  headers: Headers;
  caller: CallerIdentity | null | "owner";
  rawBody?: string | Uint8Array<ArrayBuffer> | undefined;
  rawQuery?: string;
}

function draftOf(spec: RequestSpec): Draft {
  const isStreamLike = spec.target === "stream" || spec.target === "heartbeat";
  const draft: Draft = {
    args: Object.entries(spec.args),
    placement: isStreamLike || spec.target === "subscribers" ? "query" : "json",
    method: spec.target === "stream" || spec.target === "subscribers" ? "GET" : "POST",
    operation: spec.target,
    routeId: null,
    headers: new Headers(),
    caller: "owner",
  };
  if (spec.target === "ResetServerEvents")
    draft.headers.set("authorization", `Bearer ${ADMIN_TOKEN}`);
  for (const change of spec.mutations) apply(draft, change);
  return draft;
}

function apply(draft: Draft, change: Mutation): void {
  if ("set" in change) {
    const [key, value] = change.set;
    draft.args = [...draft.args.filter(([k]) => k !== key), [key, value]];
  } else if ("placement" in change) draft.placement = change.placement;
  else if ("upperCaseKeys" in change)
    draft.args = draft.args.map(([key, value]) => [key.toUpperCase(), value]);
  else if ("method" in change) draft.method = change.method;
  else if ("operation" in change) draft.operation = change.operation;
  else if ("routeId" in change) draft.routeId = change.routeId;
  else if ("contentType" in change) draft.headers.set("content-type", change.contentType);
  else if ("contentLength" in change) draft.headers.set("content-length", change.contentLength);
  else if ("lastEventId" in change) draft.headers.set("last-event-id", change.lastEventId);
  else if ("authorization" in change) draft.headers.set("authorization", change.authorization);
  else if ("forwarded" in change) {
    draft.headers.set("x-forwarded-host", change.forwarded);
    draft.headers.set("x-forwarded-for", change.forwarded);
  } else if ("caller" in change) draft.caller = change.caller;
  else if ("rawBody" in change) draft.rawBody = change.rawBody;
  else draft.rawQuery = change.rawQuery;
}

type IdOf = (value: FieldValue) => string;

/** As JSON text; nesting is built as text because the test's own JSON.stringify would overflow. */
function jsonOf(id: IdOf, value: FieldValue): string {
  if ("self" in value || "ref" in value) return JSON.stringify(id(value));
  if ("text" in value) return JSON.stringify(value.text);
  if ("json" in value) return JSON.stringify(value.json);
  if ("list" in value) return JSON.stringify(value.list);
  return `${"[".repeat(value.nested)}${"]".repeat(value.nested)}`;
}

/** As form or query values: lists as repeated keys, anything else as its text or JSON. */
function formValuesOf(id: IdOf, value: FieldValue): string[] {
  if ("self" in value || "ref" in value) return [id(value)];
  if ("text" in value) return [value.text];
  if ("list" in value) return value.list;
  return [jsonOf(id, value)];
}

function jsonText(id: IdOf, args: [string, FieldValue][]): string {
  const members = args.map(([key, value]) => `${JSON.stringify(key)}:${jsonOf(id, value)}`);
  return `{${members.join(",")}}`;
}

function formText(id: IdOf, args: [string, FieldValue][]): string {
  const form = new URLSearchParams();
  for (const [key, value] of args)
    for (const item of formValuesOf(id, value)) form.append(key, item);
  return form.toString();
}

function pathOf(target: Target, operation: string, routeId: string): string {
  if (!endpoints.includes(target)) return `/api/${encodeURIComponent(operation.toWellFormed())}`;
  if (target === "updateSubscriber")
    return `/event-subscribers/${encodeURIComponent(routeId.toWellFormed())}`;
  return `/${target === "stream" ? "event-stream" : target === "subscribers" ? "event-subscribers" : `event-${target}`}`;
}

async function send(server: FuzzServer, spec: RequestSpec) {
  const owner = server.live[spec.self % Math.max(1, server.live.length)];
  const id = (value: FieldValue) =>
    "ref" in value ? server.resolveId(value.ref) : (owner?.id ?? "no-live-subscription");
  const draft = draftOf(spec);
  const routeId = draft.routeId ? server.resolveId(draft.routeId) : (owner?.id ?? "none");
  const url = new URL(pathOf(spec.target, draft.operation, routeId), origin);
  let body: string | Uint8Array<ArrayBuffer> | undefined;
  if (draft.placement === "query") url.search = formText(id, draft.args);
  else if (draft.placement === "form") {
    body = formText(id, draft.args);
    if (!draft.headers.has("content-type"))
      draft.headers.set("content-type", "application/x-www-form-urlencoded");
  } else {
    body = jsonText(id, draft.args);
    if (!draft.headers.has("content-type")) draft.headers.set("content-type", "application/json");
  }
  if (draft.rawQuery !== undefined) url.search = draft.rawQuery;
  if ("rawBody" in draft) body = draft.rawBody;
  const hasBody = !["GET", "HEAD"].includes(draft.method.toUpperCase());
  const request = server.as(
    new Request(url, {
      method: draft.method,
      headers: draft.headers,
      body: hasBody ? body : undefined,
    }),
    draft.caller === "owner" ? (owner?.identity ?? null) : draft.caller,
  );
  const { handlers } = server;
  const response = await (spec.target === "updateSubscriber"
    ? handlers.updateSubscriber(request, routeId)
    : endpoints.includes(spec.target)
      ? handlers[spec.target as "stream" | "heartbeat" | "unregister" | "subscribers"](request)
      : handlers.service(request, draft.operation));
  // A stream never ends by itself: cancel it (which unregisters it) rather than read it.
  if (response.headers.get("content-type") === "text/event-stream") await response.body?.cancel();
  else await response.arrayBuffer();
  return { target: spec.target, status: response.status };
}

/** Sends each request, one after another or all at once, and reads or cancels each answer. */
export async function sendAll(server: FuzzServer, specs: RequestSpec[], concurrently: boolean) {
  if (concurrently) return Promise.all(specs.map((spec) => send(server, spec)));
  const outcomes: Awaited<ReturnType<typeof send>>[] = [];
  for (const spec of specs) outcomes.push(await send(server, spec));
  return outcomes;
}
