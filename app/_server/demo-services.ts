import {
  assertPublishableSelector,
  bearerToken,
  constantTimeEqual,
  invalidArgument,
  jsonResponse,
  type RequestArgs,
  ServerEventsError,
  type CallerIdentity,
  type RateLimit,
  type HandlerContext,
  type RouteValues,
  type ServiceHandler,
} from "@/lib/server-events";
import { ADMIN_ROLE } from "@/lib/auth/admin-users";
import { DEFAULT_MAX_CHAT_LENGTH } from "@/lib/chat-limits";
import type { ChatHistory } from "./chat-history";
import { HistoryChannelBudget } from "./history-channel-budget";
import { createHistoryService } from "./history-service";
import { postChat, type ChatServiceOptions } from "./post-chat";
import { assertNotServiceOwned, sender } from "./service-sender";

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
  const chat: ChatServiceOptions = {
    history: historyOf,
    maxChatLength: options.maxChatLength ?? DEFAULT_MAX_CHAT_LENGTH,
    historyChannels: perHour > 0 ? new HistoryChannelBudget(perHour, options.now) : undefined,
  };
  return {
    PostChatToChannel: (request, context, route) => postChat(request, context, route, chat),
    PostRawToChannel: (request, context, route) => postRaw(request, context, route),
    PostObjectToChannel: (request, context, route) => postObject(request, context, route),
    GetChatHistory: createHistoryService(historyOf, options.historyReadRate),
    ResetServerEvents: (request, context) =>
      reset(request, context, historyOf, options.adminToken, options.onReset),
  };
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

async function reset(
  request: Request,
  context: HandlerContext,
  history: () => Promise<ChatHistory>,
  adminToken: string | undefined,
  onReset: DemoServicesOptions["onReset"],
) {
  // POST only: a GET could be triggered by a link or an image on another site.
  if (request.method !== "POST")
    throw new ServerEventsError("method_not_allowed", "ResetServerEvents must be called with POST");
  const bearer = bearerToken(request);
  const isOperator =
    adminToken !== undefined && bearer !== undefined && constantTimeEqual(bearer, adminToken);
  const caller = isOperator ? null : await context.resolveIdentity(request);
  if (!isOperator && !caller?.roles?.includes(ADMIN_ROLE))
    throw new ServerEventsError(
      "forbidden",
      "ResetServerEvents is for operators: send 'Authorization: Bearer <SSE_ADMIN_TOKEN>' or sign in as an admin",
    );
  await (await context.serverEvents()).reset();
  await (await history()).clear();
  onReset?.(caller);
  return jsonResponse({});
}
