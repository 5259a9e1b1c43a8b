export {
  createServerEventsNodeHandler,
  type NodeServiceRoute,
  type RequestLogEntry,
  type ServerEventsNodeHandlerOptions,
} from "./node-handler";
export { NodeEventStreamSink, createNodeEventStreamTransport } from "./node-event-stream";
export { NodeRequest, requestUrl, toFetchRequestWithBody } from "./node-request";
export { sendResponse } from "./node-response";
export { isPrivateAddress, settleForwardedFor, type ForwardedForTrust } from "./forwarded-for";
