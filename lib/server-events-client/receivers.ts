import type { ServerEventMessage } from "./types";

/** A receiver class; instances are created by the client's {@link Resolver}. */
export type ReceiverConstructor<T extends object = object> = new () => T;

/** An object (or a class to instantiate) whose members handle `{op}.{target}` messages. */
export type Receiver = object | ReceiverConstructor;

/**
 * Turns a receiver class into an instance for each message.
 * @see https://docs.servicestack.net/typescript-server-events-client#receivers
 */
export interface Resolver {
  tryResolve<T extends object>(ctor: ReceiverConstructor<T>): T;
}

/** A new receiver instance for every message (the default). */
export class NewInstanceResolver implements Resolver {
  tryResolve<T extends object>(ctor: ReceiverConstructor<T>): T {
    return new ctor();
  }
}

// One instance per class for the whole process, like the official client's `ctor.instance`,
// but kept off the user's class.
const singletons = new WeakMap<ReceiverConstructor, object>();

/** One shared instance per receiver class. */
export class SingletonInstanceResolver implements Resolver {
  tryResolve<T extends object>(ctor: ReceiverConstructor<T>): T {
    let instance = singletons.get(ctor) as T | undefined;
    if (instance === undefined) {
      instance = new ctor();
      singletons.set(ctor, instance);
    }
    return instance;
  }
}

/** Optional base class: gives receivers `client`, `request` and a no-op `noSuchMethod`. */
export class ServerEventReceiver<TClient = unknown> {
  client?: TClient;
  request?: ServerEventMessage;
  noSuchMethod(_selector: string, _message: ServerEventMessage): void {}
}

/** Own and inherited member names (not `constructor`, not `Object.prototype`'s). */
export function getAllMembers(target: object): string[] {
  const names = new Set<string>();
  for (
    let o: object | null = target;
    o !== null && o !== Object.prototype;
    o = Object.getPrototypeOf(o) as object | null
  ) {
    for (const name of Object.getOwnPropertyNames(o)) {
      if (name !== "constructor") names.add(name);
    }
  }
  return [...names];
}

type Members = Record<string, unknown>;

// Every object has these (`__proto__`, `constructor`, `toString`, `__defineSetter__`, …). A
// frame's op or target names them as easily as a real handler, so they are never looked up:
// `__proto__.client` would otherwise reach Object.prototype and set `client` on every object.
const objectMembers = new Set(Object.getOwnPropertyNames(Object.prototype));

/**
 * `target[name]`, unless `name` is one of the members every object inherits; the way a frame's
 * op or target is looked up among handlers, receivers and listeners.
 */
export function lookup<T>(target: Readonly<Record<string, T>>, name: string): T | undefined {
  return objectMembers.has(name) ? undefined : target[name];
}

function callOrSet(r: Members, name: string, request: ServerEventMessage, element: unknown): void {
  const member = r[name];
  if (typeof member === "function") {
    (member as (this: unknown, body: unknown, e: ServerEventMessage) => void).call(
      element ?? r,
      request.body,
      request,
    );
  } else {
    r[name] = request.body;
  }
}

/**
 * Delivers a message to a receiver as the official clients do: the first `-` of the target is
 * removed (`background-image` → `backgroundimage`), then a method of that name is called with
 * `(body, message)`, or a property of that name is set to the body, or a member whose name
 * matches case-insensitively is used; otherwise `noSuchMethod(target, message)` is called.
 *
 * @param element the element the `$selector` matched (browser only): `this` for the call, else
 *   the receiver itself, as in `@servicestack/client`
 * @see docs/protocol.md, "Client compatibility" (receiver invocation)
 */
export function invokeReceiver(
  receiver: Receiver | undefined,
  resolver: Resolver,
  request: ServerEventMessage,
  client: unknown,
  element?: unknown,
): void {
  if (receiver === undefined || receiver === null) return;
  const instance =
    typeof receiver === "function"
      ? resolver.tryResolve(receiver as ReceiverConstructor)
      : receiver;
  const r = instance as Members;
  const name = request.target.replace("-", "");
  r.client = client;
  r.request = request;
  if (name in r && !objectMembers.has(name)) {
    callOrSet(r, name, request, element);
    return;
  }
  const lower = name.toLowerCase();
  const match = getAllMembers(r).find((member) => member.toLowerCase() === lower);
  if (match !== undefined) {
    callOrSet(r, match, request, element);
    return;
  }
  const noSuchMethod = r.noSuchMethod;
  if (typeof noSuchMethod === "function") {
    (noSuchMethod as (this: unknown, target: string, e: ServerEventMessage) => void).call(
      element ?? r,
      request.target,
      request,
    );
  }
}
