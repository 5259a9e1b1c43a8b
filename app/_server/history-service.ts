import {
  jsonTextResponse,
  ListingBudget,
  listingPayer,
  parseChannelList,
  requireChannelAccess,
  requireSignedInIfLimited,
  RequestArgs,
  ServerEventsError,
  type RateLimit,
  type ServiceHandler,
} from "@/lib/server-events";
import type { ChatHistory } from "./chat-history";

/**
 * Characters of chat history (of the JSON answer) one signed-in user may read a second, in bursts of four times that
 * (an address: four times both). A chat page joining a channel reads its last 50 messages: tens of
 * thousands of characters, 600,000 if every one is 4,000 characters of CJK.
 */
export const DEFAULT_HISTORY_READ_RATE: RateLimit = { perSecond: 1_000_000, burst: 4_000_000 };

const MAX_LIMIT = 500;

/**
 * `GetChatHistory` (`GET /channels/{channel}/messages?limit=`): the newest messages of the
 * channels, for the chat log on join. It needs no subscription, and one request of 90 bytes could
 * ask for megabytes of JSON, so each caller (a signed-in user, or else an address) may read only
 * so much a second, and only four at once (429 naming `channels` past that).
 * @param readRate characters a second per caller; null turns the budget off
 */
export function createHistoryService(
  history: () => Promise<ChatHistory>,
  readRate: RateLimit | null = DEFAULT_HISTORY_READ_RATE,
): ServiceHandler {
  const reads = readRate && new ListingBudget(readRate, { what: "chat history reads" });
  return async (request, context, route) => {
    const caller = await requireSignedInIfLimited(context, request, await context.serverEvents());
    const args = await RequestArgs.from(request, route);
    const channels = parseChannelList([
      ...(args.list("channels") ?? []),
      ...(args.list("channel") ?? []),
    ]);
    await requireChannelAccess(context, request, channels, "subscribe to", "channels", caller);
    const limitText = args.string("limit") ?? "50";
    const limit = Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
      throw new ServerEventsError(
        "invalid_argument",
        `'limit' must be an integer from 1 to ${MAX_LIMIT}`,
        { field: "limit" },
      );
    const payer = listingPayer(caller, request.headers);
    const settle = payer && reads?.begin(payer);
    // Charged by the characters of the answer itself: what it makes the server build and send.
    let json = "[]";
    try {
      const messages = await (
        await history()
      ).recent(channels.length > 0 ? channels : ["*"], limit);
      json = JSON.stringify(messages);
    } finally {
      settle?.(json.length);
    }
    return jsonTextResponse(json);
  };
}
