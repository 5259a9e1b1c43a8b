import { invalidArgument, ServerEventsError } from "../errors";
import type { CallerIdentity } from "../identity";
import type { HandlerContext } from "./context";
import type { RequestHead } from "./request-head";

/**
 * Channels only callers holding a role may use: channel name → the role it needs, e.g.
 * `{ "server-events.admin": "admin" }`. Every other channel stays open to everyone.
 */
export type RestrictedChannels = Readonly<Record<string, string>>;

/** Reading a channel (streaming it, listing its members, its history) or publishing to it. */
export type ChannelAction = "subscribe to" | "publish to";

/**
 * Refuses (403 naming `field`) when any of `channels` is restricted to a role the caller lacks.
 * The caller is resolved only when a restricted channel is asked for, so the hot paths (streams,
 * publishes to ordinary channels) pay one map lookup per channel and nothing else.
 * @param caller the caller when the handler already resolved it; resolved from `request` otherwise
 */
export async function requireChannelAccess(
  context: HandlerContext,
  request: RequestHead,
  channels: readonly string[],
  action: ChannelAction,
  field: string,
  caller?: CallerIdentity | null,
): Promise<void> {
  const restricted = context.restrictedChannels;
  if (restricted === undefined) return;
  const needed = channels.flatMap((channel) => {
    const role = Object.hasOwn(restricted, channel) ? restricted[channel] : undefined;
    return role === undefined ? [] : [{ channel, role }];
  });
  if (needed.length === 0) return;
  const who = caller === undefined ? await context.resolveIdentity(request) : caller;
  for (const { channel, role } of needed)
    if (!who?.isAuthenticated || !who.roles?.includes(role))
      throw new ServerEventsError(
        "forbidden",
        `Only '${role}' users may ${action} channel '${channel}'`,
        { field },
      );
}

/**
 * `details` as a listing shows them to this caller: without the restricted channels it lacks the
 * role for, and without the subscriptions that had only those. An unfiltered `/event-subscribers`
 * would otherwise tell anyone who is watching the operators' channel.
 */
export async function hideRestrictedChannels(
  context: HandlerContext,
  request: RequestHead,
  details: Record<string, string>[],
  caller?: CallerIdentity | null,
): Promise<Record<string, string>[]> {
  const restricted = context.restrictedChannels;
  if (restricted === undefined) return details;
  const roleOf = (channel: string) =>
    Object.hasOwn(restricted, channel) ? restricted[channel] : undefined;
  const channelsOf = (detail: Record<string, string>) => (detail.channels ?? "").split(",");
  if (!details.some((detail) => channelsOf(detail).some((c) => roleOf(c) !== undefined)))
    return details;
  const who = caller === undefined ? await context.resolveIdentity(request) : caller;
  const visible = (channel: string) => {
    const role = roleOf(channel);
    return role === undefined || (who?.isAuthenticated === true && !!who.roles?.includes(role));
  };
  return details.flatMap((detail) => {
    const channels = channelsOf(detail);
    const shown = channels.filter(visible);
    if (shown.length === channels.length) return [detail];
    return shown.length === 0 ? [] : [{ ...detail, channels: shown.join(",") }];
  });
}

/**
 * A 400 naming `field` when a subscription would hold a restricted channel beside others:
 * presence frames carry a subscriber's whole channel list to everyone in each of its channels,
 * so an operator in `home` and the operators' channel would show it to all of `home`.
 */
export function requireRestrictedAlone(
  context: HandlerContext,
  channels: readonly string[],
  field: string,
): void {
  const restricted = context.restrictedChannels;
  if (restricted === undefined || channels.length < 2) return;
  const channel = channels.find((name) => Object.hasOwn(restricted, name));
  if (channel !== undefined)
    throw invalidArgument(
      field,
      `'${channel}' must be the only channel of its subscription: presence frames show a subscriber's channels to everyone in each of them`,
    );
}
