import { invalidArgument } from "./errors";
import { isReservedCommand } from "./message";
import {
  formatIssues,
  isStandardSchema,
  issuePath,
  type InferInput,
  type InferOutput,
  type StandardSchemaV1,
} from "./standard-schema";
import { assertSelector } from "./wire/validate";

/**
 * Message types declared once, by selector: `{ "cmd.chat": chatMessageSchema }`. The server's
 * {@link typedNotifier} and the client's `typedHandlers` are both typed from it, and both check
 * bodies against the same schema at runtime.
 * @see docs/protocol.md, "Typed messages"
 */
export type MessageCatalog = { readonly [selector: string]: StandardSchemaV1 };

/** The selectors a catalog declares. */
export type MessageSelector<C extends MessageCatalog> = keyof C & string;

/** What the server must publish for `K`: the schema's input, which is what goes on the wire. */
export type MessageInput<C extends MessageCatalog, K extends MessageSelector<C>> = InferInput<C[K]>;

/** What a handler of `K` receives: the schema's output, read from the wire. */
export type MessageOutput<C extends MessageCatalog, K extends MessageSelector<C>> = InferOutput<
  C[K]
>;

function assertCatalogSelector(selector: string): void {
  assertSelector(selector, "selector");
  if (selector.includes("$"))
    throw invalidArgument(
      "selector",
      `'${selector}' names a CSS target: declare the message as op.target, without '$…'`,
    );
  const [op, target] = selector.split(".", 2) as [string, string];
  if (op === "cmd" && isReservedCommand(target))
    throw invalidArgument(
      "selector",
      `'${selector}' is reserved: the server or the clients write it`,
    );
}

/**
 * Declares a catalog, keyed by `op.target` selector. Selectors are checked at once (a module
 * that declares a bad one fails to load rather than at the first publish): the wire's rules, no
 * `$cssSelector` part, none of the server's own `cmd.on*` frames; every value must implement
 * Standard Schema v1 (zod 4 schemas do).
 *
 * ```ts
 * export const chatMessages = defineMessages({
 *   "cmd.chat": z.object({ text: z.string().max(4000) }),
 *   "cmd.announce": z.string(),
 * });
 * ```
 * @throws ServerEventsError `invalid_argument` naming the selector
 */
export function defineMessages<C extends MessageCatalog>(catalog: C): Readonly<C> {
  for (const [selector, schema] of Object.entries(catalog)) {
    assertCatalogSelector(selector);
    if (!isStandardSchema(schema))
      throw invalidArgument("selector", `'${selector}' is not a Standard Schema v1 schema`);
  }
  return Object.freeze({ ...catalog });
}

/**
 * Checks `message` against the schema of `selector` and returns the schema's output. Async
 * refinements are awaited.
 * @throws ServerEventsError `invalid_argument` naming `message` (or the first bad field of it,
 *   `message.channel`), with every issue in the text and the issues as `cause`; or naming
 *   `selector` when the catalog does not declare it (a cast got past the types)
 */
export async function validateMessage<C extends MessageCatalog, K extends MessageSelector<C>>(
  catalog: C,
  selector: K,
  message: MessageInput<C, K>,
): Promise<MessageOutput<C, K>> {
  const schema = Object.hasOwn(catalog, selector) ? catalog[selector] : undefined;
  if (schema === undefined)
    throw invalidArgument("selector", `'${selector}' is not declared in the message catalog`);
  const result = await schema["~standard"].validate(message);
  if (result.issues === undefined) return result.value;
  const first = result.issues[0];
  const path = first === undefined ? "" : issuePath(first);
  throw invalidArgument(
    path === "" ? "message" : `message.${path}`,
    `'${selector}' message does not match its schema: ${formatIssues(result.issues)}`,
    result.issues,
  );
}
