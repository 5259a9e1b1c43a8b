import { createEventStream, type EventStreamSink } from "@/lib/server-events/event-stream-sink";
import type { ServerEvents } from "@/lib/server-events/server-events";
import { Subscription, type SubscriptionInit } from "@/lib/server-events/subscription";
import { createSubscriptionId } from "@/lib/server-events/subscription-id";
import { FrameReader, type ReadFrame } from "@/lib/server-events/testing/frame-reader";

export interface TestSubscriber {
  id: string;
  sub: Subscription;
  frames: FrameReader;
  /** The `cmd.onConnect` frame, already read. */
  connectFrame: ReadFrame;
}

export type TestSubscriberInit = Partial<Omit<SubscriptionInit, "channels">> & {
  channels?: string[];
};

let anonymous = 0;

/**
 * A subscription as the stream handler would build it for an anonymous caller (`-N`, `userN`),
 * with `init` on top; not yet registered.
 */
export function testSubscription(
  events: ServerEvents,
  id: string,
  sink: EventStreamSink,
  init: TestSubscriberInit = {},
): Subscription {
  const number = ++anonymous;
  return new Subscription(
    {
      id,
      userId: `-${number}`,
      userName: null,
      displayName: `user${number}`,
      sessionId: null,
      isAuthenticated: false,
      profileUrl: "",
      createdAt: events.options.now(),
      userAddress: null,
      connectArgs: {},
      serverArgs: {},
      ...init,
      channels: init.channels ?? ["home"],
    },
    sink,
  );
}

/**
 * Registers a subscription the way the stream handler does, over a real event stream, and reads
 * its `cmd.onConnect`. Cancelling the reader unregisters it, as a client disconnect would.
 */
export async function connectSubscriber(
  events: ServerEvents,
  init: TestSubscriberInit = {},
  lastEventId?: number,
): Promise<TestSubscriber> {
  const id = createSubscriptionId();
  const { stream, sink } = createEventStream(events.options.maxBufferedBytes, () => {
    events.unRegister(id).catch(() => undefined);
  });
  const sub = testSubscription(events, id, sink, init);
  const frames = new FrameReader(stream);
  await events.register(sub, { id }, { lastEventId });
  return { id, sub, frames, connectFrame: await frames.next() };
}

/** `channel@selector`, or `selector` for frames without a channel. */
export const frameLabel = (frame: ReadFrame): string =>
  `${frame.channel === undefined ? "" : `${frame.channel}@`}${frame.selector}`;

/** Frames up to and including the first whose selector is `selector`. */
export async function readUntil(
  subscriber: TestSubscriber,
  selector: string,
): Promise<ReadFrame[]> {
  const start = subscriber.frames.seen.length;
  await subscriber.frames.until((frame) => frame.selector === selector);
  return subscriber.frames.seen.slice(start);
}
