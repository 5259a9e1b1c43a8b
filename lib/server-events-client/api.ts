import { formatChannels, joinUrl, toServerEventUser } from "./channels";
import { createHttpError, ServerEventsClientError, toClientError } from "./errors";
import type { FetchLike } from "./options";
import type { ServerEventUser } from "./types";

/** How the client reaches the server's HTTP endpoints. */
export interface HttpContext {
  fetch: FetchLike;
  headers: Readonly<Record<string, string>>;
  credentials: RequestCredentials;
}

/** The `UpdateEventSubscriber` request DTO (docs/protocol.md, "Endpoints"). */
export interface UpdateEventSubscriber {
  /** The subscription id. @default the current subscription */
  id?: string;
  subscribeChannels?: string[];
  unsubscribeChannels?: string[];
}

/** Sends a request; rejects with a {@link ServerEventsClientError} on network errors or non-2xx. */
async function send(
  ctx: HttpContext,
  url: string,
  init: { method: string; headers?: Record<string, string>; body?: string },
  what: string,
): Promise<Response> {
  let response: Response;
  try {
    response = await ctx.fetch(url, {
      ...init,
      headers: { ...ctx.headers, ...init.headers },
      credentials: ctx.credentials,
    });
  } catch (error) {
    throw toClientError(error, "network", what);
  }
  if (!response.ok) {
    response.body?.cancel().catch(() => {});
    throw createHttpError(response, what);
  }
  return response;
}

/**
 * `POST unRegisterUrl` with no body, as the official client does. A 404 means the server already
 * dropped the subscription (it notices the closed stream first): that is the outcome we wanted.
 */
export async function unregister(ctx: HttpContext, unRegisterUrl: string): Promise<void> {
  try {
    const response = await send(ctx, unRegisterUrl, { method: "POST" }, "unregister");
    await response.text();
  } catch (error) {
    if (error instanceof ServerEventsClientError && error.status === 404) return;
    throw error;
  }
}

/** `POST {baseUrl}/api/UpdateEventSubscriber` with a JSON body. */
export async function updateEventSubscriber(
  ctx: HttpContext,
  baseUrl: string,
  request: Required<Pick<UpdateEventSubscriber, "id">> & UpdateEventSubscriber,
): Promise<void> {
  const body = JSON.stringify({
    id: request.id,
    subscribeChannels: request.subscribeChannels,
    unsubscribeChannels: request.unsubscribeChannels,
  });
  const headers = { "Content-Type": "application/json", Accept: "application/json" };
  const url = joinUrl(baseUrl, "api/UpdateEventSubscriber");
  const response = await send(ctx, url, { method: "POST", headers, body }, "UpdateEventSubscriber");
  await response.text();
}

function isStringMap(value: unknown): value is Record<string, string> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `GET {baseUrl}/api/GetEventSubscribers?channels=A,B`, mapped to {@link ServerEventUser}s. */
export async function getEventSubscribers(
  ctx: HttpContext,
  baseUrl: string,
  channels: readonly string[],
): Promise<ServerEventUser[]> {
  const url = `${joinUrl(baseUrl, "api/GetEventSubscribers")}?channels=${formatChannels(channels)}`;
  const what = "GetEventSubscribers";
  const response = await send(
    ctx,
    url,
    { method: "GET", headers: { Accept: "application/json" } },
    what,
  );
  let list: unknown;
  try {
    list = await response.json();
  } catch (error) {
    throw toClientError(error, "http", what);
  }
  if (!Array.isArray(list)) throw new ServerEventsClientError("http", `${what}: not an array`);
  return list.filter(isStringMap).map(toServerEventUser);
}
