import { createHmac } from "node:crypto";

/**
 * Subscription ids are capabilities (an id is all a cookieless client needs to act as it), so the
 * dashboard never shows them. It shows a handle instead: an HMAC of the id under a key every
 * instance shares (derived from AUTH_SECRET), so a handle made on one instance is understood on
 * the others, cannot be turned back into the id, and cannot be forged without the key.
 */
export class SubscriptionHandles {
  private readonly key: Buffer;

  constructor(secret: string) {
    // A key of its own, so a handle reveals nothing about the secret that signs sessions.
    this.key = createHmac("sha256", secret).update("server-events admin handles").digest();
  }

  handleOf(subscriptionId: string): string {
    return createHmac("sha256", this.key).update(subscriptionId).digest("base64url").slice(0, 22);
  }

  /** The id among `ids` whose handle is `handle`, if any. */
  find(handle: string, ids: Iterable<string>): string | undefined {
    for (const id of ids) if (this.handleOf(id) === handle) return id;
    return undefined;
  }
}

/** What a handle looks like: 22 URL-safe characters (132 bits of the HMAC). */
export const handlePattern = /^[A-Za-z0-9_-]{22}$/u;
