import { afterEach } from "vitest";
import type { ClientKind } from "./clients";
import { nextServerFixture, type ServerFixture } from "./fixture";
import { ClientPool, messagesOf, type OpenOptions, type RecordedClient } from "./recorder";

/**
 * The `next start` a ServiceStack-compatibility file runs against, once for the whole file.
 * Call it at the top level of the file, before any `describe`.
 */
export function servicestackServerFixture(): () => ServerFixture {
  // ServiceStack's own suite sends `css.*` from anonymous clients, as its test host allows; the
  // remote-control limit (on by default) is covered by app/_server/demo-services.test.ts.
  return nextServerFixture({ SSE_LIMIT_REMOTE_CONTROL_TO_AUTHENTICATED_USERS: "false" });
}

export interface ClientPoolFixture {
  pool: ClientPool;
  /** A recorded client of this kind on the file's server, started unless told otherwise. */
  open: (options?: Omit<OpenOptions, "baseUrl">) => RecordedClient;
}

/**
 * Clients of one kind, all stopped after each test. Call it inside the `describe` of that kind,
 * so that the hook belongs to it.
 */
export function clientPoolFixture(
  kind: ClientKind,
  server: () => ServerFixture,
): ClientPoolFixture {
  const pool = new ClientPool(kind);
  afterEach(() => pool.stopAll());
  return {
    pool,
    open: (options = {}) => pool.create({ baseUrl: server().baseUrl, ...options }),
  };
}

/** The `cmd.chat` messages `client` received, in order. */
export const chatsOf = (client: RecordedClient) => messagesOf(client, "cmd.chat");
