import { invalidArgument, ServerEventsError } from "../errors";
import { isReservedCommand, resolvedSelector } from "../message";
import type { ServerEvents } from "../server-events";
import type { SubscriptionInfo } from "../subscription";
import { assertSelector } from "../wire/validate";
import { clientAddress } from "./client-address";
import { callerKey, requireAccess, requireWithinLimit, type HandlerContext } from "./context";
import type { RequestHead } from "./request-head";

/**
 * Selectors that act on the recipient's page rather than deliver a message to it: the ops of
 * `remoteControlOps` (by default the `window`, `document` and `css` receivers of ServiceStack's
 * clients), and ss-utils' `cmd.toggle`, `cmd.show` and `cmd.hide`, which hide or show any element
 * (`cmd.toggle$body` blanks a page).
 */
const remoteControlCommands = new Set(["toggle", "show", "hide"]);

const isRemoteControl = (op: string, target: string, remoteControlOps: readonly string[]) =>
  remoteControlOps.includes(op) || (op === "cmd" && remoteControlCommands.has(target));

/**
 * The selector a client asks to publish with, checked against who is sending: nobody may forge the
 * server's own `cmd.onConnect`/`onJoin`/`onLeave`/`onUpdate`/`onHeartbeat` (400), and with
 * `limitRemoteControlToAuthenticatedUsers` only signed-in users may act on pages (403, see
 * `isRemoteControl`). Other `cmd.*` and `trigger.*` messages stay open to everyone, as
 * ServiceStack's own test suites expect.
 */
export function assertPublishableSelector(
  selector: string,
  from: SubscriptionInfo,
  events: ServerEvents,
  field = "selector",
): string {
  assertSelector(selector, field);
  const { op, target } = resolvedSelector(selector);
  if (op === "cmd" && isReservedCommand(target))
    throw invalidArgument(
      field,
      `'${field}' ${selector} is reserved: the server or the clients write it`,
    );
  if (
    isRemoteControl(op, target, events.options.remoteControlOps) &&
    !from.isAuthenticated &&
    events.options.limitRemoteControlToAuthenticatedUsers
  )
    throw new ServerEventsError("forbidden", `Sign in to send '${selector}': it acts on pages`, {
      field,
    });
  return selector;
}

/**
 * Every publish names the live subscription it is sent as (`from`): the caller must own it (401/403
 * via {@link requireAccess}), and may publish at most at the configured rate (429). A signed-in
 * user or a guest has one budget across all their subscriptions, so that opening more of them
 * buys nothing; a cookieless subscription (ServiceStack's own clients) has its own; and guests and
 * cookieless subscriptions also share one per address.
 */
export async function requirePublisher(
  context: HandlerContext,
  request: Request,
  events: ServerEvents,
  fromId: string,
  /** Messages the request publishes: each costs one from the budget. */
  messages = 1,
): Promise<SubscriptionInfo> {
  const from = await requireAccess(context, request, events, fromId);
  requireWithinLimit(
    context.limits.publish,
    publisherKeys(from, request),
    "from",
    "messages from you",
    messages,
  );
  return from;
}

/**
 * Who a publish, a channel change or a new history channel is charged to: a signed-in user, a
 * guest, or a cookieless subscription, always first; then, but for signed-in users, the address.
 * Guest cookies cost nothing to mint, cookieless subscriptions nothing to open: whatever their
 * number, the ones from one address share that address's budget too.
 */
export function publisherKeys(from: SubscriptionInfo, request: RequestHead): string[] {
  const keys = [callerKey(from) ?? `subscription:${from.id}`];
  const address = from.isAuthenticated ? undefined : clientAddress(request.headers);
  if (address !== undefined) keys.push(`address:${address}`);
  return keys;
}
