import type { CredentialVersions } from "@/lib/auth/credential-versions";
import type { ServerEvents } from "@/lib/server-events";

/**
 * The cluster's channel for "this account's sessions changed". Nobody may stream, list or
 * publish to it (`restrictedChannels` in app/_server/handlers.ts names a role no caller holds);
 * every instance observes it, since the provider's bus carries every message to every instance.
 */
export const CREDENTIALS_CHANNEL = "server-events.credentials";

/** The role {@link CREDENTIALS_CHANNEL} needs: no caller is given it, so only the server speaks. */
export const SERVER_ONLY_ROLE = "server";

const CHANGED_SELECTOR = "cmd.credentialsChanged";

/**
 * Tells every instance that `userId`'s credential version moved on (a new password, "Sign out
 * everywhere else"), so that each drops what it remembered and refuses the account's older
 * sessions at once, not when its cached answer expires. Announce before ending the account's
 * streams: the bus keeps order, so a stream that reconnects elsewhere is judged afresh.
 */
export async function announceCredentialChange(
  events: Pick<ServerEvents, "notifyChannel">,
  userId: string,
): Promise<void> {
  await events.notifyChannel(CREDENTIALS_CHANNEL, CHANGED_SELECTOR, { userId });
}

/**
 * Makes this instance forget an account's credential version whenever any instance announces a
 * change. A message that is not a well-formed announcement is ignored: the worst it could do is
 * a look-up, and only the server can publish to the channel anyway.
 * @returns the remover
 */
export function followCredentialChanges(
  events: Pick<ServerEvents, "observeMessages">,
  versions: Pick<CredentialVersions, "forget">,
): () => void {
  return events.observeMessages((message) => {
    const { target, selector } = message;
    if (target.kind !== "channel" || target.value !== CREDENTIALS_CHANNEL) return;
    if (selector !== CHANGED_SELECTOR) return;
    const userId = userIdOf(message.json);
    if (userId !== undefined) versions.forget(userId);
  });
}

function userIdOf(json: string): string | undefined {
  try {
    const body: unknown = JSON.parse(json);
    if (typeof body !== "object" || body === null || !("userId" in body)) return undefined;
    const { userId } = body;
    return typeof userId === "string" && userId !== "" ? userId : undefined;
  } catch {
    return undefined;
  }
}
