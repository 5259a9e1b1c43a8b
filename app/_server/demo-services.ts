import {
  assertChannel,
  assertPrintable,
  assertPublishableSelector,
  assertText,
  bearerToken,
  constantTimeEqual,
  invalidArgument,
  jsonResponse,
  requireChannelAccess,
  publisherKeys,
  requirePublisher,
  RequestArgs,
  resolvedSelector,
  ServerEventsError,
  type CallerIdentity,
  type RateLimit,
  type HandlerContext,
  type RouteValues,
  type ServerEvents,
  type ServiceHandler,
  type SubscriptionInfo,
} from "@/lib/server-events";
import { ADMIN_ROLE } from "@/lib/auth/admin-users";
import { DEFAULT_MAX_CHAT_LENGTH } from "@/lib/chat-limits";
import type { ChatHistory, ChatMessage } from "./chat-history";
import { chatPublisher } from "./chat-publisher";
import { HistoryChannelBudget } from "./history-channel-budget";
import { createHistoryService } from "./history-service";

export interface DemoServicesOptions {
  /** The chat history, or how to get it when a service first needs it (the provider's). */
  history: ChatHistory | (() => Promise<ChatHistory>);
  /** Bearer token that may call ResetServerEvents; unset (and no admin caller) means it is off. */
  adminToken?: string | undefined;
  /** Longest chat message, in characters (400 past it). @default 4000 */
  maxChatLength?: number | undefined;
  /**
   * Distinct channels one sender may write chat history into per hour (429 past it; see
   * history-channel-budget.ts); 0 turns the limit off. @default 200
   */
  historyChannelsPerHour?: number | undefined;
  /**
   * Characters of chat history one caller may read a second (history-service.ts); null turns
   * the budget off. @default DEFAULT_HISTORY_READ_RATE
   */
  historyReadRate?: RateLimit | null | undefined;
  /** The clock of the budgets, injectable for tests. @default Date.now */
  now?: (() => number) | undefined;
  /** After a reset: who asked (null for the bearer token), for the operators' log. */
  onReset?: ((caller: CallerIdentity | null) => void) | undefined;
}

const DEFAULT_HISTORY_CHANNELS_PER_HOUR = 200;

/**
 * The services ServiceStack's own test suites and Chat app call: PostChatToChannel, PostRawToChannel,
 * PostObjectToChannel, ResetServerEvents, plus GetChatHistory for the chat log on join.
 * Every publish is sent as a live subscription the caller owns (`from`), within its rate limit.
 * @see docs/protocol.md, "Services"
 */
export function createDemoServices(options: DemoServicesOptions): Record<string, ServiceHandler> {
  const { history } = options;
  const historyOf = typeof history === "function" ? history : () => Promise.resolve(history);
  const perHour = options.historyChannelsPerHour ?? DEFAULT_HISTORY_CHANNELS_PER_HOUR;
  const withHistory = {
    ...options,
    history: historyOf,
    historyChannels: perHour > 0 ? new HistoryChannelBudget(perHour, options.now) : undefined,
  };
  return {
    PostChatToChannel: (request, context, route) => postChat(request, context, route, withHistory),
    PostRawToChannel: (request, context, route) => postRaw(request, context, route),
    PostObjectToChannel: (request, context, route) => postObject(request, context, route),
    GetChatHistory: createHistoryService(historyOf, options.historyReadRate),
    ResetServerEvents: (request, context) => reset(request, context, withHistory),
  };
}

type ResolvedOptions = Omit<DemoServicesOptions, "history"> & {
  history: () => Promise<ChatHistory>;
  historyChannels: HistoryChannelBudget | undefined;
};

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

function assertNotServiceOwned(selector: string, service: string): string {
  const { op, target } = resolvedSelector(selector);
  const owner = serviceOwnedSelectors.get(`${op}.${target}`);
  if (owner !== undefined && owner !== service)
    throw new ServerEventsError("invalid_argument", `'${selector}' messages are sent by ${owner}`, {
      field: "selector",
    });
  return selector;
}

interface Sender {
  events: ServerEvents;
  args: RequestArgs;
  from: SubscriptionInfo;
  channel: string;
  toUserId: string | undefined;
}

/** `from` must be a live subscription the caller may act for (403 for someone else's). */
async function sender(
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

async function postChat(
  request: Request,
  context: HandlerContext,
  route: RouteValues,
  options: ResolvedOptions,
) {
  const { events, args, from, channel, toUserId } = await sender(request, context, route);
  const selector = assertNotServiceOwned(
    assertPublishableSelector(args.string("selector") || "cmd.chat", from, events),
    "PostChatToChannel",
  );
  const text = chatText(args, options.maxChatLength ?? DEFAULT_MAX_CHAT_LENGTH);
  // A channel message is kept in history: the channels one sender may fill are counted.
  if (toUserId === undefined)
    options.historyChannels?.require(publisherKeys(from, request), channel);
  const [recipient] =
    toUserId === undefined ? [] : await events.getSubscriptionInfosByUserId(toUserId);
  const message: ChatMessage = {
    id: await events.getNextSequence("chatMessage"),
    channel,
    fromUserId: from.userId,
    fromName: from.displayName,
    displayName: from.displayName,
    message: text,
    userAuthId: from.isAuthenticated ? from.userId : null,
    private: toUserId !== undefined,
    createdAt: events.options.now(),
    selector,
    ...(toUserId === undefined
      ? {}
      : { toUserId, ...(recipient ? { toName: recipient.displayName } : {}) }),
  };
  const publish = chatPublisher(events, selector);
  if (toUserId === undefined) {
    await publish.toChannel(channel, message);
    await (await options.history()).append(message);
    return jsonResponse(message);
  }
  await publish.toUserId(toUserId, message);
  // The sender sees a copy addressed "@name: …" (ServiceStack's Chat echo).
  if (recipient && recipient.userId !== from.userId) {
    const echo = { ...message, message: `@${recipient.displayName}: ${message.message}` };
    await publish.toSubscription(from.id, echo);
  }
  return jsonResponse(message);
}

function chatText(args: RequestArgs, maxLength: number): string {
  const text = assertText(args.string("message") ?? "", "message");
  if (text.length > maxLength)
    throw new ServerEventsError(
      "invalid_argument",
      `'message' is longer than ${maxLength} characters`,
      { field: "message" },
    );
  return text;
}

async function postRaw(request: Request, context: HandlerContext, route: RouteValues) {
  const { events, args, from, channel, toUserId } = await sender(request, context, route);
  const selector = assertNotServiceOwned(
    assertPublishableSelector(args.requiredString("selector"), from, events),
    "PostRawToChannel",
  );
  const message = args.string("message") ?? null;
  if (toUserId === undefined) await events.notifyChannel(channel, selector, message);
  else await events.notifyUserId(toUserId, selector, message);
  return jsonResponse({});
}

const objectFields = new Set(["touserid", "channel", "selector", "from"]);

/**
 * Typed objects in one PostObjectToChannel. ServiceStack's DTO has two (`customType` and
 * `setterType`); without a cap one request (and one token of the publish budget) could carry a
 * hundred thousand messages.
 */
const MAX_TYPED_OBJECTS = 10;

/** Each object-valued field: a typed message whose default selector is `cmd.{TypeName}`. */
function typedObjects(args: RequestArgs): [name: string, value: unknown][] {
  const typed = args
    .entries()
    .filter(
      ([key, value]) =>
        !objectFields.has(key.toLowerCase()) && typeof value === "object" && value !== null,
    );
  if (typed.length === 0)
    throw invalidArgument("customType", "Send at least one typed object, e.g. customType");
  if (typed.length > MAX_TYPED_OBJECTS)
    throw invalidArgument(
      "body",
      `Send at most ${MAX_TYPED_OBJECTS} typed objects in one request, got ${typed.length}`,
    );
  return typed;
}

/** Every typed object is one message, and costs one from the sender's publish budget. */
async function postObject(request: Request, context: HandlerContext, route: RouteValues) {
  const { events, args, from, channel, toUserId } = await sender(
    request,
    context,
    route,
    (unchecked) => typedObjects(unchecked).length,
  );
  const explicitSelector = args.string("selector") || undefined;
  const typed = typedObjects(args);
  const selectors = typed.map(([key]) =>
    assertNotServiceOwned(
      assertPublishableSelector(
        explicitSelector ?? `cmd.${key.charAt(0).toUpperCase()}${key.slice(1)}`,
        from,
        events,
      ),
      "PostObjectToChannel",
    ),
  );
  for (const [index, [, value]] of typed.entries()) {
    const selector = selectors[index]!;
    if (toUserId === undefined) await events.notifyChannel(channel, selector, value);
    else await events.notifyUserId(toUserId, selector, value);
  }
  return jsonResponse({});
}

async function reset(request: Request, context: HandlerContext, options: ResolvedOptions) {
  // POST only: a GET could be triggered by a link or an image on another site.
  if (request.method !== "POST")
    throw new ServerEventsError("method_not_allowed", "ResetServerEvents must be called with POST");
  const bearer = bearerToken(request);
  const isOperator =
    options.adminToken !== undefined &&
    bearer !== undefined &&
    constantTimeEqual(bearer, options.adminToken);
  const caller = isOperator ? null : await context.resolveIdentity(request);
  if (!isOperator && !caller?.roles?.includes(ADMIN_ROLE))
    throw new ServerEventsError(
      "forbidden",
      "ResetServerEvents is for operators: send 'Authorization: Bearer <SSE_ADMIN_TOKEN>' or sign in as an admin",
    );
  await (await context.serverEvents()).reset();
  await (await options.history()).clear();
  options.onReset?.(caller);
  return jsonResponse({});
}
