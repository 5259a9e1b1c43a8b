import {
  assertChannel,
  assertPrintable,
  requireChannelAccess,
  requirePublisher,
  RequestArgs,
  resolvedSelector,
  ServerEventsError,
  type HandlerContext,
  type RouteValues,
  type ServerEvents,
  type SubscriptionInfo,
} from "@/lib/server-events";

/**
 * Selectors whose bodies the demo pages trust to have been built by the server: a chat message's
 * sender fields come from the `from` subscription, a snapshot's owner from the channel, and an
 * operators' notice from an admin. Sent any other way they would let anyone speak as someone else.
 * Keys as {@link resolvedSelector} gives them: `shapes.Snap-shot` reaches the same receiver.
 */
const serviceOwnedSelectors = new Map([
  ["cmd.chat", "PostChatToChannel"],
  ["shapes.snapshot", "POST /shapes/api/snapshot"],
  ["cmd.operatornotice", "AdminAnnounce"],
]);

export function assertNotServiceOwned(selector: string, service: string): string {
  const { op, target } = resolvedSelector(selector);
  const owner = serviceOwnedSelectors.get(`${op}.${target}`);
  if (owner !== undefined && owner !== service)
    throw new ServerEventsError("invalid_argument", `'${selector}' messages are sent by ${owner}`, {
      field: "selector",
    });
  return selector;
}

/** Who sends a publish and where: what every publishing service checks first. */
export interface Sender {
  events: ServerEvents;
  args: RequestArgs;
  from: SubscriptionInfo;
  channel: string;
  toUserId: string | undefined;
}

/** `from` must be a live subscription the caller may act for (403 for someone else's). */
export async function sender(
  request: Request,
  context: HandlerContext,
  route: RouteValues,
  messagesIn: (args: RequestArgs) => number = () => 1,
): Promise<Sender> {
  const events = await context.serverEvents();
  const args = await RequestArgs.from(request, route);
  const channel = assertChannel(args.string("channel") ?? "*", "channel");
  const fromId = args.requiredString("from");
  const from = await requirePublisher(context, request, events, fromId, messagesIn(args));
  await requireChannelAccess(context, request, [channel], "publish to", "channel");
  const toUserIdArg = args.string("toUserId") || undefined;
  const toUserId = toUserIdArg && assertPrintable(toUserIdArg, "toUserId");
  return { events, args, from, channel, toUserId };
}
