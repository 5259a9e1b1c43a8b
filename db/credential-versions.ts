import { createCredentialVersions, type CredentialVersions } from "@/lib/auth/credential-versions";
import { logger } from "@/lib/next/logger";
import { bumpCredentialVersion, currentCredentialVersion, setPassword } from "./auth-store";

// On globalThis so that the pages, the server actions and npm start's Node server (separate
// bundles) share one cache: a password changed through one is seen at once by the others.
const globalCache = globalThis as unknown as {
  __serverEventsCredentialVersions?: CredentialVersions;
};

/**
 * Which sessions still count, by the accounts' credential versions: asked by Auth.js's `jwt`
 * callback (pages and server actions) and by the Server Events endpoints' session reader. Other
 * instances of a cluster learn of a password change from the account page's announcement
 * (app/_server/credential-changes.ts), and within 30 seconds if it is lost.
 */
export function getCredentialVersions(): CredentialVersions {
  globalCache.__serverEventsCredentialVersions ??= createCredentialVersions({
    lookup: currentCredentialVersion,
    onLookupError: (error) =>
      logger.warn({ err: error }, "credential version look-up failed: sessions count meanwhile"),
  });
  return globalCache.__serverEventsCredentialVersions;
}

/**
 * Sets a new password (the current one has been checked, under `verifiedVersion`): the account's
 * other sessions end at once on this instance (the others once the change is announced), and so does
 * every known-browser cookie issued before.
 * @returns the new credential version, or undefined when the account is gone or has moved on
 */
export async function replacePassword(userId: string, password: string, verifiedVersion: number) {
  const version = await setPassword(userId, password, verifiedVersion);
  getCredentialVersions().forget(userId);
  return version;
}

/**
 * Ends every session of the account (its password checked under `verifiedVersion`), as a new
 * password would, keeping the password: the caller signs its own browser in again.
 * @returns the new credential version, or undefined when the account is gone or has moved on
 */
export async function endAllSessions(userId: string, verifiedVersion: number) {
  const version = await bumpCredentialVersion(userId, verifiedVersion);
  getCredentialVersions().forget(userId);
  return version;
}
