import {
  assertPublishableSelector,
  assertText,
  jsonResponse,
  publisherKeys,
  ServerEventsError,
  type HandlerContext,
  type RequestArgs,
  type RouteValues,
} from "@/lib/server-events";
import type { ChatHistory, ChatMessage } from "./chat-history";
import { chatPublisher } from "./chat-publisher";
import type { HistoryChannelBudget } from "./history-channel-budget";
import { assertNotServiceOwned, sender } from "./service-sender";

export interface ChatServiceOptions {
  history: () => Promise<ChatHistory>;
  /** Longest chat message, in characters. */
  maxChatLength: number;
  historyChannels: HistoryChannelBudget | undefined;
}

/**
 * PostChatToChannel: a `cmd.chat` message whose sender fields come from the `from` subscription,
 * to a channel (and its history) or, with `toUserId`, to one person with an echo to the sender.
 */
export async function postChat(
  request: Request,
  context: HandlerContext,
  route: RouteValues,
  options: ChatServiceOptions,
) {
  const { events, args, from, channel, toUserId } = await sender(request, context, route);
  const selector = assertNotServiceOwned(
    assertPublishableSelector(args.string("selector") || "cmd.chat", from, events),
    "PostChatToChannel",
  );
  const text = chatText(args, options.maxChatLength);
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
