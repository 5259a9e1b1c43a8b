import type { ConnectionState } from "@/lib/server-events-client";

/** The part of the leader's client that channel changes go through. */
export interface ReconciledClient {
  readonly channels: string[];
  readonly state: ConnectionState;
  updateSubscriber(request: {
    subscribeChannels?: string[];
    unsubscribeChannels?: string[];
  }): Promise<void>;
}

/**
 * Brings the leader's subscription in line with the channels the tabs want, one update at a time:
 * a change asked for while one is in flight waits for it and then goes with the latest wishes,
 * so the server never sees two updates of one subscription racing each other.
 */
export class ChannelReconciler {
  #reconciling: Promise<void> | null = null;
  #dirty = false;

  constructor(
    private readonly client: () => ReconciledClient | null,
    private readonly wantedChannels: () => string[],
  ) {}

  reconcile(): void {
    const client = this.client();
    if (!client) return;
    if (this.#reconciling) {
      this.#dirty = true;
      return;
    }
    if (client.state !== "open") return;
    const wanted = this.wantedChannels();
    const subscribeChannels = wanted.filter((c) => !client.channels.includes(c));
    const unsubscribeChannels = client.channels.filter((c) => !wanted.includes(c));
    if (subscribeChannels.length === 0 && unsubscribeChannels.length === 0) return;
    this.#reconciling = client
      .updateSubscriber({ subscribeChannels, unsubscribeChannels })
      .finally(() => {
        this.#reconciling = null;
        if (this.#dirty) {
          this.#dirty = false;
          this.reconcile();
        }
      });
  }
}
