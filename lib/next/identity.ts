import { defaultProfileUrl, type CallerIdentity, type RequestHead } from "@/lib/server-events";
import { createSessionReader } from "./session-cookie";

/** The cookie holding a guest's session id ("Continue as guest"); readable by the server only. */
export const GUEST_COOKIE = "se-guest";

const guestIdPattern = /^[A-Za-z0-9_-]{16,64}$/u;

/** The Auth.js session cookie, decrypted once per cookie value (a heartbeat comes every 10 s). */
const readSession = createSessionReader();

/** A guest's session id from the request's cookie, when it has a well-formed one. */
export function readGuestSessionId(request: RequestHead): string | undefined {
  const cookies = request.headers.get("cookie") ?? "";
  for (const part of cookies.split(";")) {
    const [name, value] = part.trim().split("=", 2);
    if (name === GUEST_COOKIE && value && guestIdPattern.test(value)) return value;
  }
  return undefined;
}

/**
 * Who is calling: a signed-in Auth.js user becomes the subscription's userId, userName,
 * displayName, session id, roles and a generated avatar, so notifyUserId/notifyUserName/
 * notifySession reach them in every tab and ownership checks apply. Guests stay anonymous
 * (ServiceStack's `-N`/`userN`) but keep their guest session id, so notifySession reaches them.
 */
export async function resolveCaller(request: RequestHead): Promise<CallerIdentity | null> {
  const user = await readSession(request);
  if (user?.id && user.name) {
    return {
      isAuthenticated: true,
      userId: user.id,
      userName: user.name,
      displayName: user.name,
      sessionId: user.sessionId || null,
      profileUrl: defaultProfileUrl(user.name),
      roles: [user.role],
    };
  }
  const guestSessionId = readGuestSessionId(request);
  return guestSessionId ? { isAuthenticated: false, sessionId: guestSessionId } : null;
}
