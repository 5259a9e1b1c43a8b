import { afterEach } from "vitest";
import {
  connectSubscriber,
  type TestSubscriber,
  type TestSubscriberInit,
} from "@/lib/testing/subscriber";
import type { ServerEventsOptions } from "../options";
import type { ServerEvents } from "../server-events";

export interface ServerEventsUnderTest {
  events: ServerEvents;
  cleanup(): Promise<void>;
}

/** Builds a started provider; `options` are those a test needs on top of the suite's defaults. */
export type CreateServerEvents = (options: ServerEventsOptions) => Promise<ServerEventsUnderTest>;

/** What the contract's scenarios start and connect through; all of it is stopped after each test. */
export interface ContractContext {
  /** A started provider, reporting background errors nowhere unless `options` say otherwise. */
  start: (options?: ServerEventsOptions) => Promise<ServerEvents>;
  /** A subscriber reading a real event stream, resuming from `lastEventId` when given. */
  connect: (
    events: ServerEvents,
    init?: TestSubscriberInit,
    lastEventId?: number,
  ) => Promise<TestSubscriber>;
}

/** Registers the clean-up after each test: streams cancelled, providers cleaned up. */
export function contractContext(create: CreateServerEvents): ContractContext {
  let underTest: ServerEventsUnderTest[] = [];
  let subscribers: TestSubscriber[] = [];

  afterEach(async () => {
    await Promise.all(subscribers.map((s) => s.frames.cancel().catch(() => undefined)));
    await Promise.all(underTest.map((created) => created.cleanup()));
    underTest = [];
    subscribers = [];
  });

  return {
    async start(options = {}) {
      const created = await create({ onError: () => undefined, ...options });
      underTest.push(created);
      return created.events;
    },
    async connect(events, init = {}, lastEventId) {
      const subscriber = await connectSubscriber(events, init, lastEventId);
      subscribers.push(subscriber);
      return subscriber;
    },
  };
}
