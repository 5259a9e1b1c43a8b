import { sendBeacon, watchPageLifecycle } from "./browser";
import type { ResolvedOptions } from "./options";
import type { ConnectionState, ServerEventConnect } from "./types";

/** The client as page-hide handling sees it. */
export interface PageHideClient {
  readonly options: Pick<ResolvedOptions<object>, "unregisterOnPageHide" | "fetch" | "credentials">;
  readonly connectionInfo: ServerEventConnect | null;
  readonly state: ConnectionState;
  start(): unknown;
}

/** The client's private parts page-hide handling needs. */
export interface PageHideInit {
  /** Started and not stopped since. */
  isRunning(): boolean;
  /** Stops locally (no unregistering request), keeping the last event id to resume from. */
  halt(): void;
}

/**
 * A page hidden for good (unload) or put in the back/forward cache stops the client, after
 * unregistering a live subscription with a beacon; a page restored from that cache starts it
 * again, from the last event id it had, so the server replays what was sent while it slept. Under
 * Node there is no page: nothing happens.
 */
export class PageHideSuspension {
  #unwatch: (() => void) | undefined;
  /** Stopped by a page hide (not by `stop()`): a restored page resumes. */
  #suspended = false;

  constructor(
    private readonly client: PageHideClient,
    private readonly init: PageHideInit,
  ) {}

  /** From `start()`: listens to the page, once however often the client starts. */
  watch(): void {
    this.#suspended = false;
    this.#unwatch ??= watchPageLifecycle(
      () => this.#onPageHide(),
      () => this.#suspended && this.client.start(),
    );
  }

  /** From `stop()`: a client stopped on purpose is not restarted by the page coming back. */
  unwatch(): void {
    this.#unwatch?.();
    this.#unwatch = undefined;
  }

  #onPageHide(): void {
    if (!this.init.isRunning()) return;
    // Only a live subscription is worth unregistering (one whose stream dropped may be gone
    // already), and the request leaves before the stream closes: a server that ends the
    // subscription with its stream would otherwise answer 404.
    const { options, state, connectionInfo } = this.client;
    const url =
      options.unregisterOnPageHide !== false && state === "open"
        ? connectionInfo?.unRegisterUrl
        : undefined;
    try {
      // sendBeacon survives the page being torn down; a plain fetch may be cancelled.
      if (url && !sendBeacon(url)) {
        void options
          .fetch(url, { method: "POST", keepalive: true, credentials: options.credentials })
          .catch(() => {});
      }
    } finally {
      this.init.halt();
      this.#suspended = true;
    }
  }
}
