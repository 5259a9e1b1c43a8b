import type { CallerIdentity, RequestHead } from "@/lib/server-events";
import { avatarUrl } from "./avatars";
import { isHttpsSite } from "@/lib/auth/request-scheme";
import { readGuest } from "./guest-cookie";
import { createSessionReader, type SessionUser } from "./session-cookie";

export interface CallerResolverOptions {
  /**
   * Whether a signed-in session still counts (db/credential-versions.ts: its password has not
   * changed since). A session that does not is no one: a guest's cookie may still name a guest.
   */
  isCurrentSession?: (user: SessionUser) => Promise<boolean>;
}

/**
 * Who is calling: a signed-in Auth.js user becomes the subscription's userId, userName,
 * displayName, session id, roles and a generated avatar, so notifyUserId/notifyUserName/
 * notifySession reach them in every tab and ownership checks apply. A guest stays anonymous
 * (`userN`, not signed in) but is one person per browser: the name, user id and avatar come from
 * the signed guest cookie, so every tab and every reload shows the same guest, and the session id
 * binds their subscriptions to that cookie.
 */
export function createCallerResolver(
  options: CallerResolverOptions = {},
): (request: RequestHead) => Promise<CallerIdentity | null> {
  // The Auth.js session cookie, decrypted once per cookie value (a heartbeat comes every 10 s).
  const readSession = createSessionReader(
    options.isCurrentSession ? { isCurrent: options.isCurrentSession } : {},
  );
  return async (request) => callerFrom(request, await readSession(request));
}

function callerFrom(request: RequestHead, user: SessionUser | null): CallerIdentity | null {
  if (user?.id && user.name) {
    return {
      isAuthenticated: true,
      userId: user.id,
      userName: user.name,
      displayName: user.name,
      sessionId: user.sessionId || null,
      profileUrl: avatarUrl(user.name),
      roles: [user.role],
    };
  }
  const guest = readGuest(request.headers.get("cookie"), isHttpsSite(request.headers, request.url));
  if (!guest) return null;
  return {
    isAuthenticated: false,
    userId: guest.userId,
    displayName: guest.displayName,
    sessionId: guest.sessionId,
    profileUrl: avatarUrl(guest.displayName),
  };
}
