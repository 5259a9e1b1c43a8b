import type { NotifyMethods } from "./notify-methods";
import {
  validateMessage,
  type MessageCatalog,
  type MessageInput,
  type MessageSelector,
} from "./typed-messages";

/**
 * ServiceStack's `Notify*` methods narrowed to one catalog: the selector must be one it declares
 * and the message that selector's schema input. Each checks the message at runtime before it is
 * published; a message that does not match rejects with a 400 `ServerEventsError` and nothing
 * is sent.
 * @see docs/protocol.md, "Typed messages"
 */
export interface TypedNotifier<C extends MessageCatalog> {
  /** Every subscription; no `channel@` prefix. */
  notifyAll<K extends MessageSelector<C>>(selector: K, message: MessageInput<C, K>): Promise<void>;
  /** Members of `channel`; frames carry `channel@selector`. */
  notifyChannel<K extends MessageSelector<C>>(
    channel: string,
    selector: K,
    message: MessageInput<C, K>,
  ): Promise<void>;
  /** The optional `channel` of the targeted ones is a filter only, as in {@link NotifyMethods}. */
  notifySubscription<K extends MessageSelector<C>>(
    id: string,
    selector: K,
    message: MessageInput<C, K>,
    channel?: string,
  ): Promise<void>;
  notifyUserId<K extends MessageSelector<C>>(
    userId: string,
    selector: K,
    message: MessageInput<C, K>,
    channel?: string,
  ): Promise<void>;
  notifyUserName<K extends MessageSelector<C>>(
    userName: string,
    selector: K,
    message: MessageInput<C, K>,
    channel?: string,
  ): Promise<void>;
  notifySession<K extends MessageSelector<C>>(
    sessionId: string,
    selector: K,
    message: MessageInput<C, K>,
    channel?: string,
  ): Promise<void>;
}

type Targeted = "notifySubscription" | "notifyUserId" | "notifyUserName" | "notifySession";

/**
 * Typed `notify*` over any provider (`ServerEvents` has them all). The message goes out as
 * given, not as the schema's output: the wire carries the input type and each reader parses it
 * with the same schema, so a transform (a default, a trim, a date) runs once, on the reader.
 *
 * ```ts
 * const chat = typedNotifier(serverEvents, chatMessages);
 * await chat.notifyChannel("home", "cmd.chat", { text: "hi" }); // checked by tsc, then the schema
 * ```
 */
export function typedNotifier<C extends MessageCatalog>(
  events: Pick<NotifyMethods, "notifyAll" | "notifyChannel" | Targeted>,
  catalog: C,
): TypedNotifier<C> {
  const targeted =
    (method: Targeted) =>
    async <K extends MessageSelector<C>>(
      value: string,
      selector: K,
      message: MessageInput<C, K>,
      channel?: string,
    ) => {
      await validateMessage(catalog, selector, message);
      await events[method](value, selector, message, channel);
    };
  return {
    notifyAll: async (selector, message) => {
      await validateMessage(catalog, selector, message);
      await events.notifyAll(selector, message);
    },
    notifyChannel: async (channel, selector, message) => {
      await validateMessage(catalog, selector, message);
      await events.notifyChannel(channel, selector, message);
    },
    notifySubscription: targeted("notifySubscription"),
    notifyUserId: targeted("notifyUserId"),
    notifyUserName: targeted("notifyUserName"),
    notifySession: targeted("notifySession"),
  };
}
