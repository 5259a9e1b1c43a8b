import fc from "fast-check";
import {
  headerValue,
  hostileJson,
  hostileSelector,
  hostileString,
} from "@/lib/server-events/testing/arbitraries";
import { ADMIN_TOKEN, identity, idRef, type IdRef } from "@/lib/server-events/testing/fuzz-server";
import {
  body as rawBody,
  contentLengthValue,
  contentTypeValue,
  method as anyMethod,
  query as rawQuery,
} from "@/lib/server-events/testing/request-arbitraries";

/**
 * Random requests to every endpoint and demo service: each starts as a plausible call of its
 * target (so it gets past the first check and reaches the code behind it), then takes up to
 * three random mutations (services.property.test.ts sends them).
 */

export type FieldValue =
  | { self: true }
  | { ref: IdRef }
  | { text: string }
  | { json: unknown }
  | { list: string[] }
  | { nested: number };
type Args = Record<string, FieldValue>;

const self: FieldValue = { self: true };
const channelName = fc.oneof(
  { arbitrary: fc.constantFrom("home", "lobby", "*", "shapes"), weight: 3 },
  { arbitrary: hostileString(12), weight: 1 },
);
const channels = fc.array(channelName, { maxLength: 3 }).map((list): FieldValue => ({ list }));
const channel = channelName.map((text): FieldValue => ({ text }));
const selector = fc
  .oneof(
    fc.constantFrom("cmd.chat", "cmd.announce", "trigger.x", "tv.watch$#player", "window.location"),
    fc.constantFrom("css.background-color$#top", "cmd.onJoin", "CMD.ONCONNECT"),
    hostileSelector,
  )
  .map((text): FieldValue => ({ text }));
const message = hostileString(40).map((text): FieldValue => ({ text }));
const toUserId = fc.constantFrom("u-alice", "-1", "-2").map((text): FieldValue => ({ text }));
/** Pathological nesting, built as text: the test's own JSON.stringify would overflow on it. */
const nested = fc.record({ nested: fc.integer({ min: 1, max: 20_000 }) });
/** A typed object for PostObjectToChannel: any JSON, including pathologically deep JSON. */
const typedObject = fc.oneof(
  { arbitrary: hostileJson.map((json): FieldValue => ({ json })), weight: 3 },
  { arbitrary: nested, weight: 1 },
);
const anyValue: fc.Arbitrary<FieldValue> = fc.oneof(
  fc.record({ ref: idRef }),
  hostileString(40).map((text): FieldValue => ({ text })),
  hostileJson.map((json): FieldValue => ({ json })),
  channels,
  nested,
);
const optional = { requiredKeys: [] as [] };

/** What a well-behaved client sends to each endpoint. */
const templates = {
  stream: fc.record({ channels }, optional),
  heartbeat: fc.constant<Args>({ id: self }),
  unregister: fc.constant<Args>({ id: self }),
  subscribers: fc.record({ channels }, optional),
  updateSubscriber: fc.record(
    { subscribeChannels: channels, unsubscribeChannels: channels },
    optional,
  ),
  PostChatToChannel: fc.record(
    { from: fc.constant(self), channel, message, selector, toUserId },
    { requiredKeys: ["from", "message"] },
  ),
  PostRawToChannel: fc.record(
    { from: fc.constant(self), channel, selector, message, toUserId },
    { requiredKeys: ["from", "selector"] },
  ),
  PostObjectToChannel: fc.record(
    { from: fc.constant(self), channel, selector, toUserId, customType: typedObject },
    { requiredKeys: ["from", "customType"] },
  ),
  GetChatHistory: fc.record(
    { channels, limit: fc.nat(600).map((n): FieldValue => ({ text: String(n) })) },
    optional,
  ),
  ResetServerEvents: fc.constant<Args>({}),
  UpdateEventSubscriber: fc.record(
    { id: fc.constant(self), subscribeChannels: channels, unsubscribeChannels: channels },
    { requiredKeys: ["id"] },
  ),
  UnRegisterEventSubscriber: fc.constant<Args>({ id: self }),
  GetEventSubscribers: fc.record({ channels }, optional),
} satisfies Record<string, fc.Arbitrary<Args>>;
export type Target = keyof typeof templates;
/** The stream endpoints, served at their own paths; every other target is a service under /api. */
export const endpoints = ["stream", "heartbeat", "unregister", "subscribers", "updateSubscriber"];
export const targets = Object.keys(templates) as Target[];

const mutation = fc.oneof(
  fc.record({ set: fc.tuple(fc.constantFrom("from", "id", "channel", "message"), anyValue) }),
  fc.record({ set: fc.tuple(fc.constantFrom("selector", "channels", "customType"), anyValue) }),
  fc.record({ set: fc.tuple(hostileString(10), anyValue) }),
  fc.record({ placement: fc.constantFrom("json", "form", "query") }),
  fc.record({ upperCaseKeys: fc.constant(true) }),
  fc.record({ method: anyMethod }),
  fc.record({ operation: hostileString(16) }),
  fc.record({ routeId: idRef }),
  fc.record({ contentType: contentTypeValue }),
  fc.record({ contentLength: contentLengthValue }),
  fc.record({ lastEventId: fc.oneof(fc.nat().map(String), headerValue) }),
  fc.record({
    authorization: fc.oneof(fc.constantFrom(`Bearer ${ADMIN_TOKEN}`, "Bearer x"), headerValue),
  }),
  fc.record({ forwarded: headerValue }),
  fc.record({ caller: identity }),
  fc.record({ rawBody }),
  fc.record({ rawQuery }),
);
export type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

/** One request: a target's plausible arguments, which live subscription it names, and up to three mutations. */
export const requestSpec = fc.constantFrom(...targets).chain((target) =>
  fc.record({
    target: fc.constant(target),
    args: templates[target] as fc.Arbitrary<Args>,
    self: fc.nat(),
    mutations: fc.array(mutation, { maxLength: 3 }),
  }),
);
export type RequestSpec = typeof requestSpec extends fc.Arbitrary<infer T> ? T : never;
