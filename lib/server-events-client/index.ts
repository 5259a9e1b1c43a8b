/**
 * A ServiceStack-compatible Server Events client for browsers and Node.
 *
 * ```ts
 * const client = new ServerEventsClient<{ chat: (msg: ChatMessage, e: ServerEventMessage) => void }>(
 *   "/", ["home"], {
 *     handlers: { chat: (msg) => render(msg), onJoin: (e) => addUser(e.displayName) },
 *     onException: (error) => console.warn(error),
 *   },
 * ).start();
 * await client.subscribeToChannels("news");
 * await client.stop();
 * ```
 * @see https://docs.servicestack.net/typescript-server-events-client
 */
export { ServerEventsClient } from "./server-events-client";
export type { ServerEventsClientOptions, FetchLike } from "./options";
export type { UpdateEventSubscriber } from "./api";
export type { BackoffOptions, Backoff } from "./backoff";
export { createBackoff } from "./backoff";
export { ServerEventsClientError, type ServerEventsClientErrorCode } from "./errors";
export { parseServerEventData, splitOnFirst } from "./message-parser";
export { allowedLocation, isNavigation, type LocationPolicy } from "./location-policy";
export { cssValueProblem, isStaticFilePath, MAX_CSS_VALUE_LENGTH } from "./css-policy";
export { describeFrame } from "./frame-policy";
export {
  typedHandlers,
  type TypedHandlerMap,
  type TypedHandlers,
  type TypedHandlersOptions,
} from "./typed-handlers";
export {
  NewInstanceResolver,
  SingletonInstanceResolver,
  ServerEventReceiver,
  getAllMembers,
  type Receiver,
  type ReceiverConstructor,
  type Resolver,
} from "./receivers";
export type {
  ConnectionState,
  CustomHandlers,
  HandlerFor,
  NoCustomHandlers,
  ServerEventBuiltInHandlers,
  ServerEventCommand,
  ServerEventConnect,
  ServerEventHandler,
  ServerEventHandlers,
  ServerEventHeartbeat,
  ServerEventJoin,
  ServerEventLeave,
  ServerEventMessage,
  ServerEventType,
  ServerEventUpdate,
  ServerEventUser,
} from "./types";
