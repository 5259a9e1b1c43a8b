import type { ServerEventUser } from "./types";

/** `base` + `/` + `path`, whether or not `base` ends with `/`. */
export function joinUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;
}

/** Channel names for a query string: each one encoded, joined with a literal `,`. */
export function formatChannels(channels: readonly string[]): string {
  return channels.map((channel) => encodeURIComponent(channel)).join(",");
}

/**
 * `{baseUrl}/event-stream?channels=A,B&t={now}`, the official client's URL (the `t` defeats caches).
 * @see docs/protocol.md, "Client compatibility"
 */
export function createEventStreamUri(
  baseUrl: string,
  channels: readonly string[],
  now: number,
  eventStreamPath = "event-stream",
): string {
  return `${joinUrl(baseUrl, eventStreamPath)}?channels=${formatChannels(channels)}&t=${now}`;
}

function toList(channels: string | readonly string[] | null | undefined): readonly string[] {
  if (channels === null || channels === undefined) return [];
  return typeof channels === "string" ? channels.split(",") : channels;
}

/**
 * The channel list after an `UpdateEventSubscriber`: unsubscribed channels removed, new ones
 * appended in order (as the server does).
 */
export function mergeChannels(
  current: readonly string[],
  subscribe: string | readonly string[] | null | undefined,
  unsubscribe: string | readonly string[] | null | undefined,
): string[] {
  const removed = new Set(toList(unsubscribe));
  const channels = current.filter((channel) => !removed.has(channel));
  for (const channel of toList(subscribe)) {
    if (!channels.includes(channel)) channels.push(channel);
  }
  return channels;
}

/** Maps one `GetEventSubscribers` Meta dictionary to a {@link ServerEventUser}. */
export function toServerEventUser(map: Readonly<Record<string, string>>): ServerEventUser {
  const { userId = "", displayName = "", profileUrl = "", channels, ...meta } = map;
  return {
    userId,
    displayName,
    profileUrl,
    channels: channels ? channels.split(",") : [],
    meta,
  };
}
