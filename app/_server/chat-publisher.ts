import { typedNotifier, type ServerEvents } from "@/lib/server-events";
import { chatCatalog } from "@/app/chat/_lib/chat-catalog";
import type { ChatMessage } from "./chat-history";

type Publish = (to: string, message: ChatMessage) => Promise<void>;

/** Where PostChatToChannel sends a chat message: a channel, a user's tabs, one subscription. */
export interface ChatPublisher {
  toChannel: Publish;
  toUserId: Publish;
  toSubscription: Publish;
}

/**
 * `cmd.chat`, the selector the Chat page handles, goes out through the chat's catalog: typed by
 * `chatCatalog`'s schema and checked against it before publishing, so the server cannot send a
 * chat message the page would drop. ServiceStack's suites may name another selector for the same
 * message; that one is sent as it is, as ServiceStack does.
 */
export function chatPublisher(events: ServerEvents, selector: string): ChatPublisher {
  if (selector === "cmd.chat") {
    const chat = typedNotifier(events, chatCatalog);
    return {
      toChannel: (channel, message) => chat.notifyChannel(channel, "cmd.chat", message),
      toUserId: (userId, message) => chat.notifyUserId(userId, "cmd.chat", message),
      toSubscription: (id, message) => chat.notifySubscription(id, "cmd.chat", message),
    };
  }
  return {
    toChannel: (channel, message) => events.notifyChannel(channel, selector, message),
    toUserId: (userId, message) => events.notifyUserId(userId, selector, message),
    toSubscription: (id, message) => events.notifySubscription(id, selector, message),
  };
}
