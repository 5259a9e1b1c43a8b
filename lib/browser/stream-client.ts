import type { ServerEventConnect, ServerEventMessage } from "@/lib/server-events-client";
import type { ReconciledClient } from "./channel-reconciler";

/** The part of `ServerEventsClient` the leader tab drives. */
export interface StreamClient extends ReconciledClient {
  readonly connectionInfo: ServerEventConnect | null;
  start(): unknown;
  stop(options?: { unregister?: boolean }): Promise<void>;
}

/** Calls the leader's client makes back into the shared stream. */
export interface StreamClientHooks {
  /** Every message but `cmd.onConnect` / `cmd.onHeartbeat` (the client keeps those). */
  onMessage(message: ServerEventMessage): void;
  /** After every state change and after `cmd.onConnect`. */
  onState(): void;
}
