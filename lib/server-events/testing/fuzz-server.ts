import fc from "fast-check";
import {
  createServerEventsHandlers,
  type ServerEventsHandlers,
  type ServiceHandler,
} from "../http/create-handlers";
import type { CallerIdentity } from "../identity";
import { MemoryServerEvents } from "../memory-server-events";
import { headerValue, hostileString } from "./arbitraries";
import { origin } from "./request-arbitraries";
import { createSseCollector } from "./sse-parse";

export { origin };
export const ADMIN_TOKEN = "admin-token-0123456789";

/** Who the caller is, as the app's auth would resolve it: anybody, with any strings. */
export const identity: fc.Arbitrary<CallerIdentity | null> = fc.oneof(
  fc.constant(null),
  fc.record(
    {
      isAuthenticated: fc.boolean(),
      userId: fc.option(fc.oneof(fc.constantFrom("u-alice", "u-bob"), hostileString(12))),
      userName: fc.option(hostileString(12)),
      displayName: fc.option(hostileString(12)),
      sessionId: fc.option(fc.oneof(fc.constant("guest-cookie-0123456789"), headerValue)),
      profileUrl: fc.option(hostileString(20)),
      roles: fc.array(fc.oneof(fc.constant("admin"), hostileString(6)), { maxLength: 2 }),
    },
    { requiredKeys: ["isAuthenticated"] },
  ),
);

/** An id that names a live subscription (by index) or is any string at all. */
export type IdRef = { live: number } | { any: string };
export const idRef: fc.Arbitrary<IdRef> = fc.oneof(
  { arbitrary: fc.record({ live: fc.nat() }), weight: 3 },
  { arbitrary: fc.record({ any: hostileString(24) }), weight: 1 },
);

export interface LiveSubscription {
  id: string;
  identity: CallerIdentity | null;
  cancel: () => Promise<void>;
}

/**
 * A fresh in-memory provider behind the real handlers, whose identity resolver answers with
 * whatever identity the test attached to each request. Unexpected errors are not swallowed: the
 * handlers rethrow them (so a 500 fails the property loudly) and the provider's background errors
 * are collected in `errors`.
 */
export async function createFuzzServer(services: Record<string, ServiceHandler> = {}) {
  const errors: unknown[] = [];
  const events = new MemoryServerEvents({ onError: (error) => errors.push(error) });
  await events.start();
  const identities = new WeakMap<object, CallerIdentity | null>();
  const handlers: ServerEventsHandlers = createServerEventsHandlers({
    serverEvents: events,
    resolveIdentity: (request) => Promise.resolve(identities.get(request) ?? null),
    services,
    onError: (error) => {
      throw error;
    },
  });
  const live: LiveSubscription[] = [];

  const as = (request: Request, caller: CallerIdentity | null): Request => {
    identities.set(request, caller);
    return request;
  };

  /** Opens a stream and reads its cmd.onConnect; null when the stream was refused. */
  const openLive = async (caller: CallerIdentity | null, query = "") => {
    const response = await handlers.stream(
      as(new Request(`${origin}/event-stream?${query}`), caller),
    );
    if (response.status !== 200) {
      await response.body?.cancel();
      return null;
    }
    const reader = response.body!.getReader();
    const parsed = createSseCollector();
    while (parsed.events.length === 0) {
      const { value, done } = await reader.read();
      if (done) throw new Error("the stream ended before cmd.onConnect");
      parsed.feed(value);
    }
    const json = parsed.events[0]!.data.slice("cmd.onConnect ".length);
    const subscription: LiveSubscription = {
      id: (JSON.parse(json) as { id: string }).id,
      identity: caller,
      cancel: () => reader.cancel(),
    };
    live.push(subscription);
    return subscription;
  };

  const resolveId = (ref: IdRef): string =>
    "any" in ref
      ? ref.any
      : (live[ref.live % Math.max(1, live.length)]?.id ?? "no-live-subscription");

  const close = async () => {
    await Promise.all(live.splice(0).map((subscription) => subscription.cancel()));
    await events.stop();
  };

  return { events, handlers, errors, live, as, openLive, resolveId, close };
}

export type FuzzServer = Awaited<ReturnType<typeof createFuzzServer>>;
