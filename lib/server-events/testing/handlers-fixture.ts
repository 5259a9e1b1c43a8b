import { afterEach, beforeEach, expect } from "vitest";
import type { CallerIdentity } from "../identity";
import { MemoryServerEvents } from "../memory-server-events";
import {
  createServerEventsHandlers,
  type ServerEventsHandlers,
  type ServerEventsHandlersOptions,
} from "../http/create-handlers";
import { FrameReader, type ReadFrame } from "./frame-reader";

/** The origin every test request is sent to. */
export const origin = "http://127.0.0.1:3000";

export interface HandlersFixture {
  readonly events: MemoryServerEvents;
  readonly handlers: ServerEventsHandlers;
  /** Who each `x-user` header value is: a test adds the callers it needs. */
  readonly callers: Map<string, CallerIdentity>;
  /** Opens a stream (200 expected) and reads its `cmd.onConnect`; closed after the test. */
  connect(
    query?: string,
    headers?: Record<string, string>,
  ): Promise<{
    response: Response;
    frames: FrameReader;
    info: Record<string, string>;
    connectFrame: ReadFrame;
  }>;
  /** Reads a stream the test opened itself, closed after the test. */
  read(body: ReadableStream<Uint8Array>): FrameReader;
}

/**
 * The Fetch handlers over a fresh memory provider for each test, with identities taken from an
 * `x-user` header and `options` on top; every stream a test opened is cancelled and the provider
 * stopped after it.
 */
export function handlersPerTest(
  options: Omit<ServerEventsHandlersOptions, "serverEvents" | "resolveIdentity"> = {},
): HandlersFixture {
  let events: MemoryServerEvents | undefined;
  let handlers: ServerEventsHandlers | undefined;
  const callers = new Map<string, CallerIdentity>();
  const open: FrameReader[] = [];

  beforeEach(async () => {
    events = new MemoryServerEvents({ onError: () => undefined });
    await events.start();
    callers.clear();
    handlers = createServerEventsHandlers({
      serverEvents: events,
      resolveIdentity: (request) =>
        Promise.resolve(callers.get(request.headers.get("x-user") ?? "") ?? null),
      onError: (error) => {
        throw error;
      },
      ...options,
    });
  });

  afterEach(async () => {
    await Promise.all(open.splice(0).map((reader) => reader.cancel()));
    await events?.stop();
  });

  const read = (body: ReadableStream<Uint8Array>) => {
    const frames = new FrameReader(body);
    open.push(frames);
    return frames;
  };

  return {
    get events() {
      return events!;
    },
    get handlers() {
      return handlers!;
    },
    callers,
    read,
    async connect(query = "channels=home", headers = {}) {
      const response = await handlers!.stream(
        new Request(`${origin}/event-stream?${query}`, { headers }),
      );
      expect(response.status).toBe(200);
      const frames = read(response.body!);
      const connectFrame = await frames.next();
      return { response, frames, info: connectFrame.body as Record<string, string>, connectFrame };
    },
  };
}
