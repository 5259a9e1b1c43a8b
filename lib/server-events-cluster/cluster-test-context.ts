import { afterEach } from "vitest";
import type { ServerEventsOptions } from "@/lib/server-events";
import {
  connectSubscriber,
  type TestSubscriber,
  type TestSubscriberInit,
} from "@/lib/testing/subscriber";
import type { ClusterServerEvents } from "./cluster-server-events";

/** How a cluster provider is started and hurt; the scenarios are the same for every backend. */
export interface ClusterHarness<E extends ClusterServerEvents> {
  /**
   * A started instance on the shared backend, with short polling/probe/reconnect timings; the
   * first reconnect waits `reconnectBaseMs` (half of it to all of it, jittered) when given.
   */
  start(options: ServerEventsOptions, timings?: { reconnectBaseMs?: number }): Promise<E>;
  /** Drops the instance's listening connection the way an outage would. */
  cutListener(events: E): Promise<void>;
  /** Whether the listening connection is up (false from the moment a cut is noticed). */
  isListening(events: E): boolean;
  /** How the cut is made, for the test's name. */
  cutDescription: string;
  /** Empties the shared state between tests. */
  clear(): Promise<void>;
}

/** What the cluster contract's scenarios start and connect through; all of it is stopped after each test. */
export interface ClusterTestContext<E extends ClusterServerEvents> {
  harness: ClusterHarness<E>;
  /** A started instance (housekeeping every 50 ms unless `options` say otherwise). */
  startInstance: (
    options?: ServerEventsOptions,
    timings?: { reconnectBaseMs?: number },
  ) => Promise<E>;
  /** A subscriber on `events`, resuming from `lastEventId` when given. */
  connect: (events: E, init?: TestSubscriberInit, lastEventId?: number) => Promise<TestSubscriber>;
}

/** Registers the clean-up after each test: subscribers cancelled, instances stopped, backend cleared. */
export function clusterTestContext<E extends ClusterServerEvents>(
  harness: ClusterHarness<E>,
): ClusterTestContext<E> {
  let instances: E[] = [];
  let subscribers: TestSubscriber[] = [];

  afterEach(async () => {
    await Promise.all(subscribers.map((s) => s.frames.cancel().catch(() => undefined)));
    await Promise.all(instances.map((events) => events.stop()));
    instances = [];
    subscribers = [];
    await harness.clear();
  });

  return {
    harness,
    async startInstance(options = {}, timings) {
      // Background errors are expected here (cut listeners): the scenarios assert on frames.
      const events = await harness.start(
        { houseKeepingIntervalMs: 50, onError: () => undefined, ...options },
        timings,
      );
      instances.push(events);
      return events;
    },
    async connect(events, init = {}, lastEventId) {
      const subscriber = await connectSubscriber(events, init, lastEventId);
      subscribers.push(subscriber);
      return subscriber;
    },
  };
}
