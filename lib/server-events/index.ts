export * from "./errors";
export * from "./identity";
export * from "./message";
export * from "./options";
export * from "./server-events";
export * from "./stats";
export * from "./subscription";
export * from "./transport";
export { MemoryServerEvents, type MemoryServerEventsInit } from "./memory-server-events";
export type { LocalSubscriptionObserver } from "./subscription-lifecycle";
export { MAX_AUDIENCE_MARKS, type ReplayResult } from "./message-log";
export { audienceKeysOf, targetKeyOf } from "./target-shares";
export {
  createServerEventsHandlers,
  type ServerEventsHandlers,
  type ServiceHandler,
} from "./http/create-handlers";
export type { HandlerContext } from "./http/context";
export type { StreamLimits } from "./http/stream-quota";
export { clientAddress, normalizeAddress } from "./http/client-address";
export {
  toFetchRequest,
  type HandlerRequest,
  type HeaderReader,
  type LazyRequest,
  type RequestHead,
} from "./http/request-head";
export { handleEventStream, openEventStream } from "./http/stream-handler";
export { handleHeartbeat } from "./http/subscription-handlers";
export {
  createEventStream,
  type EventStreamSink,
  type EventStreamTransport,
} from "./event-stream-sink";
export { BatchingSink, concatBytes } from "./batching-sink";
export { FlushTiming, scheduleFlush } from "./flush-scheduler";
export { requireAccess, requireSignedInIfLimited } from "./http/context";
export {
  requireChannelAccess,
  type ChannelAction,
  type RestrictedChannels,
} from "./http/channel-access";
export { assertPublishableSelector, publisherKeys, requirePublisher } from "./http/publishing";
export { RequestArgs, readJsonWithin, type RouteValues } from "./http/request-args";
export { RateLimiter, type RateLimit } from "./rate-limiter";
export {
  ListingBudget,
  listingPayer,
  type ListingBudgetLabels,
  type ListingPayer,
} from "./http/listing-budget";
export { bearerToken, constantTimeEqual } from "./constant-time";
export { describeError } from "./describe-error";
export {
  jsonResponse,
  jsonTextResponse,
  errorResponse,
  eventStreamHeaders,
} from "./http/responses";
export { checkChannelChange, type ChannelChange } from "./channel-change";
export {
  assertChannel,
  assertChannelListSize,
  assertPrintable,
  assertSelector,
  assertText,
  parseChannelList,
  serializeMessage,
  toSingleLineJson,
} from "./wire/validate";
export { formatFrame, parseFrameData } from "./wire/frame";
export {
  defineMessages,
  validateMessage,
  type MessageCatalog,
  type MessageInput,
  type MessageOutput,
  type MessageSelector,
} from "./typed-messages";
export { typedNotifier, type TypedNotifier } from "./typed-notifier";
export type {
  InferInput,
  InferOutput,
  StandardSchemaIssue,
  StandardSchemaResult,
  StandardSchemaV1,
} from "./standard-schema";
