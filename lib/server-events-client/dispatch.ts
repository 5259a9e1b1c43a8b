import { applyCss, documentBody, findElement } from "./browser";
import { frameProblem, type FramePolicy } from "./frame-policy";
import { builtInMessageType, mergeBody } from "./message-parser";
import type { ResolvedOptions } from "./options";
import { invokeReceiver, lookup, type Receiver, type Resolver } from "./receivers";
import type { ServerEventCommand, ServerEventConnect, ServerEventMessage } from "./types";

type AnyHandler = (this: unknown, ...args: never[]) => unknown;
type LooseHandler = (this: unknown, ...args: unknown[]) => unknown;

/** What {@link dispatchMessage} needs from the client. */
export interface DispatchContext {
  handlers: Readonly<Record<string, AnyHandler | undefined>>;
  receivers: Readonly<Record<string, Receiver | undefined>>;
  resolver: Resolver;
  /** The client, set as `receiver.client`. */
  client: unknown;
  validate?: ((request: ServerEventMessage) => boolean) | undefined;
  /** What to refuse whoever sent it: forged system commands, navigations, css that loads URLs. */
  policy: FramePolicy;
  /** A frame the policy refused, with the reason; nothing else sees it. */
  onIgnored(reason: string, request: ServerEventMessage): void;
  /** Handles `cmd.onConnect` (connection state lives in the client). */
  connect(info: ServerEventConnect, request: ServerEventMessage): void;
  /** Calls the `addListener` listeners of a `trigger.{name}`. */
  raiseEvent(name: string, request: ServerEventMessage): void;
  /** Sets a style in the browser; a no-op elsewhere. */
  applyCss(selector: string, property: string, value: unknown): void;
  /**
   * The first element matched by the message's `$selector` (browser only), or `undefined`: `this`
   * for receivers (else the receiver itself) and for handlers (else `document.body`).
   */
  findElement(cssSelector: string | undefined): unknown;
}

/** The client as a dispatch reads it: its public handlers, receivers, resolver and listeners. */
export interface DispatchingClient<TCustom extends object> {
  readonly options: Pick<
    ResolvedOptions<TCustom>,
    "handlers" | "receivers" | "validate" | "allowedLocationOrigins"
  >;
  readonly resolver: Resolver;
  raiseEvent(name: string, request: ServerEventMessage): void;
}

/**
 * The context of one message's dispatch. Built anew for each message: `registerHandler`,
 * `setResolver` and friends may have changed what the client holds since the previous one.
 * @param hooks where the client keeps what a dispatch cannot decide: connection state, reporting
 */
export function createDispatchContext<TCustom extends object>(
  client: DispatchingClient<TCustom>,
  baseUrl: string,
  hooks: Pick<DispatchContext, "onIgnored" | "connect">,
): DispatchContext {
  const { handlers, receivers, validate, allowedLocationOrigins } = client.options;
  return {
    handlers,
    receivers,
    resolver: client.resolver,
    client,
    validate,
    policy: { allowedLocationOrigins, baseUrl },
    onIgnored: (reason, request) => hooks.onIgnored(reason, request),
    connect: (info, request) => hooks.connect(info, request),
    raiseEvent: (name, request) => client.raiseEvent(name, request),
    applyCss,
    findElement,
  };
}

function call(
  ctx: DispatchContext,
  name: string,
  handlerThis: unknown,
  ...args: unknown[]
): boolean {
  const handler = lookup(ctx.handlers, name) as LooseHandler | undefined;
  if (typeof handler !== "function") return false;
  handler.call(handlerThis, ...args);
  return true;
}

function dispatchCommand(
  ctx: DispatchContext,
  request: ServerEventMessage,
  handlerThis: unknown,
  element: unknown,
): void {
  const name = request.target;
  const type = builtInMessageType(name);
  if (type === "ServerEventConnect") {
    ctx.connect(mergeBody<ServerEventConnect>(request), request);
  } else if (type === "ServerEventHeartbeat") {
    call(ctx, "onHeartbeat", handlerThis, request.body, request);
  } else if (type !== undefined) {
    const merged = mergeBody<ServerEventCommand>(request);
    call(ctx, name, handlerThis, merged);
    call(ctx, "onCommand", handlerThis, merged);
  } else if (!call(ctx, name, handlerThis, request.body, request)) {
    invokeReceiver(lookup(ctx.receivers, "cmd"), ctx.resolver, request, ctx.client, element);
  }
}

/**
 * Routes one parsed message, in the order of `@servicestack/client`'s `onMessage`:
 * - `cmd.onConnect` → `ctx.connect`; `cmd.onHeartbeat` → `onHeartbeat(body, msg)`;
 *   `cmd.onJoin|onLeave|onUpdate` → `handlers[name](merged)` then `onCommand(merged)`;
 * - other `cmd.X` → `handlers.X(body, msg)`, or else the global receiver `receivers.cmd`;
 * - `trigger.X` → listeners of `X`, then `receivers.trigger`;
 * - `css.prop$sel` → style on `sel` (default `body`, browser only), then `receivers.css`;
 * - `{name}.X` → the named receiver `receivers[name]`;
 * - then `onMessage(merged)` for everything but the built-in commands.
 *
 * Unlike the official client, the global receiver runs once, not twice, for unhandled `cmd.X`;
 * and before anything, `ctx.policy` may refuse the frame (see {@link frameProblem}).
 * @returns false when the policy or `validate` rejected the message
 * @see docs/protocol.md, "Client compatibility"
 */
export function dispatchMessage(ctx: DispatchContext, request: ServerEventMessage): boolean {
  const problem = frameProblem(request, ctx.policy);
  if (problem !== undefined) {
    ctx.onIgnored(problem, request);
    return false;
  }
  if (ctx.validate?.(request) === false) return false;
  // As in @servicestack/client: handlers are called on `el || document.body`, receivers on
  // `el || receiver`, so a receiver's methods can use `this` unless a `$selector` matched.
  const element = ctx.findElement(request.cssSelector);
  const handlerThis = element ?? documentBody();
  const { op, target } = request;
  if (op === "cmd") {
    dispatchCommand(ctx, request, handlerThis, element);
  } else {
    if (op === "trigger") {
      ctx.raiseEvent(target, request);
    } else if (op === "css") {
      ctx.applyCss(request.cssSelector || "body", target, request.body);
    }
    invokeReceiver(lookup(ctx.receivers, op), ctx.resolver, request, ctx.client, element);
  }
  if (builtInMessageType(target) === undefined) {
    call(ctx, "onMessage", handlerThis, mergeBody(request));
  }
  return true;
}
