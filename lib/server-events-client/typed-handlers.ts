// Types and one pure formatter from the core: nothing of the server reaches a client bundle.
import { formatIssues, type StandardSchemaV1 } from "../server-events/standard-schema";
import type {
  MessageCatalog,
  MessageOutput,
  MessageSelector,
} from "../server-events/typed-messages";
import { ServerEventsClientError } from "./errors";
import { describeFrame } from "./frame-policy";
import type { ServerEventBuiltInHandlers, ServerEventHandlers, ServerEventMessage } from "./types";

/** `"cmd.chat"` → `"chat"`; other ops are not handlers. */
type HandlerName<S extends string> = S extends `cmd.${infer Name}` ? Name : never;

/**
 * The custom handlers a catalog declares: `"cmd.chat": schema` becomes
 * `chat(body: output of schema, e)`. Pass it as the client's type argument,
 * `new ServerEventsClient<TypedHandlers<typeof chatMessages>>(…)`, or build the handlers with
 * {@link typedHandlers}, which also checks each body.
 */
export type TypedHandlers<C extends MessageCatalog> = {
  [S in MessageSelector<C> as HandlerName<S>]: (
    body: MessageOutput<C, S>,
    e: ServerEventMessage,
  ) => void;
};

export interface TypedHandlersOptions {
  /**
   * A body the schema refused; its handler is not called. The error has code `invalid-body` and
   * reads `home@cmd.chat: the body does not match its schema: <issues>` (issues kept as `cause`).
   * @default throws the error, which `ServerEventsClient` reports to `onException`
   */
  onInvalid?: (error: ServerEventsClientError, e: ServerEventMessage) => void;
}

type AnyHandler = (this: unknown, body: unknown, e: ServerEventMessage) => void;

const throwInvalid = (error: ServerEventsClientError): never => {
  throw error;
};

function checked(
  schema: StandardSchemaV1,
  handler: AnyHandler,
  onInvalid: NonNullable<TypedHandlersOptions["onInvalid"]>,
): AnyHandler {
  return function (this: unknown, body, e) {
    const result = schema["~standard"].validate(body);
    if (result instanceof Promise) {
      // Waiting would let later frames overtake this one; the catalog must validate synchronously.
      result.catch(() => undefined);
      onInvalid(refused(e, "its schema validates asynchronously"), e);
    } else if (result.issues !== undefined) {
      const why = `the body does not match its schema: ${formatIssues(result.issues)}`;
      onInvalid(refused(e, why, result.issues), e);
    } else {
      handler.call(this, result.value, e);
    }
  };
}

function refused(e: ServerEventMessage, why: string, cause?: unknown): ServerEventsClientError {
  return new ServerEventsClientError("invalid-body", `${describeFrame(e)}: ${why}`, {
    cause,
  });
}

/** What {@link typedHandlers} takes: the catalog's handlers, and the built-in ones if you like. */
// No catch-all index signature here, unlike `ServerEventHandlers`: intersected with one, an
// unannotated `chat: (msg) => …` would be typed from the catch-all (`unknown`), not the catalog.
export type TypedHandlerMap<C extends MessageCatalog> = Partial<TypedHandlers<C>> &
  ServerEventBuiltInHandlers;

/**
 * `handlers` with each one the catalog declares (`chat` for `"cmd.chat"`) typed from the schema's
 * output and called only with a body the schema accepts, parsed (defaults, transforms applied).
 * Built-in handlers are kept as they are; spread the result into an object to add handlers the
 * catalog does not declare. Anyone who can publish to a channel can send any body under any
 * selector, so this is where a typed handler's trust begins.
 *
 * ```ts
 * new ServerEventsClient<TypedHandlers<typeof chatMessages>>("/", ["home"], {
 *   handlers: typedHandlers(chatMessages, { chat: (msg) => render(msg.text) }),
 *   onException: (error) => console.warn(error), // invalid bodies land here
 * });
 * ```
 * @see docs/protocol.md, "Typed messages"
 */
export function typedHandlers<C extends MessageCatalog>(
  catalog: C,
  handlers: TypedHandlerMap<C>,
  options: TypedHandlersOptions = {},
): ServerEventHandlers<TypedHandlers<C>> {
  const onInvalid = options.onInvalid ?? throwInvalid;
  const result: Record<string, unknown> = { ...handlers };
  for (const [selector, schema] of Object.entries(catalog)) {
    if (!selector.startsWith("cmd.")) continue;
    const name = selector.slice("cmd.".length);
    const handler = Object.hasOwn(handlers, name) ? result[name] : undefined;
    if (typeof handler === "function") {
      result[name] = checked(schema, handler as AnyHandler, onInvalid);
    }
  }
  return result as ServerEventHandlers<TypedHandlers<C>>;
}
