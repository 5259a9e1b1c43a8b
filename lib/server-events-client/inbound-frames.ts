import type { EventSourceMessage } from "eventsource-parser";
import { normalizeConnectInfo, toConnectedSettings } from "./connect-info";
import type { EventStreamConnection } from "./connection";
import { createDispatchContext, dispatchMessage, type DispatchingClient } from "./dispatch";
import { warnIgnoredFrame } from "./frame-policy";
import { parseEventId, parseServerEventData } from "./message-parser";
import type { ResolvedOptions } from "./options";
import type { Reporter } from "./reporter";
import type { ServerEventBuiltInHandlers, ServerEventConnect, ServerEventMessage } from "./types";

/** The client as its stream's frames see it: what dispatch reads, and what `cmd.onConnect` sets. */
export interface FrameReceivingClient<TCustom extends object> extends DispatchingClient<TCustom> {
  readonly options: ResolvedOptions<TCustom>;
  connectionInfo: ServerEventConnect | null;
  updateSubscriberUrl: string | undefined;
  updateChannels(channels: string[]): void;
}

/** The client's private parts the frames need. */
export interface InboundFramesInit {
  baseUrl: string;
  connection: EventStreamConnection;
  reporter: Reporter;
  /** Started and not stopped since: frames still buffered after `stop()` are dropped. */
  isRunning(): boolean;
}

/**
 * What the client does with each frame of its stream: numbers it, parses it, has the frame policy
 * and `validate` judge it, dispatches it to handlers, receivers and listeners, and takes the
 * stream's `cmd.onConnect` as the moment the subscription becomes usable.
 */
export class InboundFrames<TCustom extends object> {
  #eventId = 0;

  constructor(
    private readonly client: FrameReceivingClient<TCustom>,
    private readonly init: InboundFramesInit,
  ) {}

  /** The client stopped: the ids of the next stream's frames start over. */
  reset(): void {
    this.#eventId = 0;
  }

  receive(event: EventSourceMessage): void {
    if (!this.init.isRunning() || event.data === "") return;
    this.#eventId = parseEventId(event.id, this.#eventId);
    this.#safely(() => {
      const request = parseServerEventData(event.data, this.#eventId);
      const context = createDispatchContext(this.client, this.init.baseUrl, {
        onIgnored: (reason, ignored) => this.#ignore(reason, ignored),
        connect: (info, connect) => this.#onConnect(info, connect),
      });
      if (dispatchMessage(context, request)) this.client.options.onTick?.();
    });
  }

  #onConnect(info: ServerEventConnect, request: ServerEventMessage): void {
    const { client, init } = this;
    // The server writes exactly one, first, on every stream. A later one on the same stream can
    // only be a subscriber's message sent to our user id (it is bare too): acting on it would
    // hand them our subscription id and the URLs we POST heartbeats and unregistration to.
    if (init.connection.state === "open") {
      this.#ignore("a second cmd.onConnect on one stream", request);
      return;
    }
    normalizeConnectInfo(info, client.options);
    client.connectionInfo = info;
    client.updateSubscriberUrl = info.updateSubscriberUrl;
    if (typeof info.channels === "string" && info.channels !== "") {
      client.updateChannels(info.channels.split(","));
    }
    // The handler may change the intervals before the timers start (the official tests do).
    this.#safely(() => this.#handlers().onConnect?.(info, request));
    if (init.isRunning()) init.connection.connected(toConnectedSettings(info, client.options));
  }

  #ignore(reason: string, request: ServerEventMessage): void {
    this.#safely(() => (this.client.options.onIgnoredFrame ?? warnIgnoredFrame)(reason, request));
  }

  #handlers(): ServerEventBuiltInHandlers {
    return this.client.options.handlers;
  }

  #safely(fn: () => void): void {
    this.init.reporter.safely(fn);
  }
}
