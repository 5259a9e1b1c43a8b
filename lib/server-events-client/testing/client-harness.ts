import { vi } from "vitest";
import type { ServerEventsClientOptions } from "../options";
import { ServerEventsClient } from "../server-events-client";
import type { ConnectionState, NoCustomHandlers } from "../types";
import { connectBody, FakeServer } from "./fake-server";

/** Lets pending promises (fetch, stream reads) settle without moving fake time forward. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await vi.advanceTimersByTimeAsync(0);
}

/** A client on a {@link FakeServer} that records its errors and states. */
export function createHarness<T extends object = NoCustomHandlers>(
  options: ServerEventsClientOptions<T> = {},
  channels = ["home"],
) {
  const server = new FakeServer();
  const errors: unknown[] = [];
  const states: ConnectionState[] = [];
  const client = new ServerEventsClient<T>("http://h/", channels, {
    fetch: server.fetch,
    reconnect: { jitter: false },
    onException: (error) => errors.push(error),
    onStateChange: (state) => states.push(state),
    ...options,
  });
  /** Starts the client and answers with `cmd.onConnect` (event id 1). */
  async function connect(id = "sub1", overrides: Record<string, string> = {}): Promise<void> {
    client.start();
    await flush();
    server.stream.send(1, "cmd.onConnect", connectBody(id, overrides));
    await flush();
  }
  return { server, client, errors, states, connect };
}
