import type { StreamInfo } from "./shared-event-stream";

/** What a page passes as its user key when nobody is signed in (a guest, or anonymous). */
export const SIGNED_OUT_USER_KEY = "guest";

const RELOADED_AT = "server-events:reloaded-for-session";
const MIN_RELOAD_INTERVAL_MS = 60_000;

/**
 * A page rendered for a signed-in user whose stream now answers as someone else: the session
 * ended elsewhere (a password change on another device, an account that is gone), its heartbeat
 * was refused and the stream came back as a guest.
 */
export function isSessionEndedElsewhere(userKey: string, info: StreamInfo | null): boolean {
  return userKey !== SIGNED_OUT_USER_KEY && info !== null && info.userId !== userKey;
}

export interface ReloadDeps {
  storage: Pick<Storage, "getItem" | "setItem">;
  reload: () => void;
  now: () => number;
}

/**
 * Reloads, so that the page shows who this browser is now, at most once a minute per tab: two
 * instances of a cluster may disagree for up to 30 s about a session (each caches an account's
 * credential version), and a page rendered by one must not reload in a loop while the other's
 * stream says otherwise.
 */
export function reloadAtMostOnceAMinute({ storage, reload, now }: ReloadDeps): boolean {
  const last = Number(storage.getItem(RELOADED_AT) ?? Number.NEGATIVE_INFINITY);
  if (now() - last < MIN_RELOAD_INTERVAL_MS) return false;
  storage.setItem(RELOADED_AT, String(now()));
  reload();
  return true;
}
