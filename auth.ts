import { cookies, headers } from "next/headers";
import NextAuth, { type DefaultSession, type Session } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { getAuthThrottles } from "@/db/auth-attempts";
import { findUserByName, verifyUser } from "@/db/auth-store";
import { getCredentialVersions } from "@/db/credential-versions";
import { createAuthLogger } from "@/lib/auth/auth-logger";
import { authorizeCredentials } from "@/lib/auth/authorize-credentials";
import { credentialVersionOf } from "@/lib/auth/credential-versions";
import {
  DEVICE_COOKIE,
  deviceCookieFrom,
  deviceCookieOptions,
  recognizedDevice,
  rememberDevice,
  type RememberedAccount,
} from "@/lib/auth/device-cookie";
import { isHttpsRequest } from "@/lib/auth/request-scheme";
import { safeRedirectPath } from "@/lib/auth/safe-redirect";
import { env } from "@/lib/env";
import { resolveAuthSecret } from "@/lib/next/auth-secret";
import { hasUsableSiteHeaders } from "@/lib/next/proxy-headers";
import { logger } from "@/lib/next/logger";
import { sessionUserFromToken } from "@/lib/next/session-cookie";

declare module "next-auth" {
  interface Session {
    user: { id: string; name: string; role: string; sessionId: string } & DefaultSession["user"];
  }
  interface User {
    role?: string;
    credentialVersion?: number;
  }
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  secret: resolveAuthSecret(),
  // Redirects below are relative, so trusting the Host header cannot send anyone elsewhere.
  trustHost: env.AUTH_TRUST_HOST,
  session: { strategy: "jwt" }, // Credentials sign-ins only work with JWT sessions.
  pages: { signIn: "/signin" },
  // Refused sign-ins are logged once, as a warning, by authorizeCredentials; see auth-logger.ts.
  logger: createAuthLogger(logger),
  providers: [
    Credentials({
      credentials: { name: { label: "Name" }, password: { label: "Password", type: "password" } },
      // Sign-up signs in through here too.
      authorize: async (input, request) => {
        const user = await authorizeCredentials(input, request, {
          verifyUser,
          throttle: getAuthThrottles().signIn,
          log: logger,
          devices: { recognize: recognizeBrowser, remember: rememberBrowser },
        });
        // The stored role: ADMIN_USERS is applied on each request (sessionUserFromToken).
        return user;
      },
    }),
  ],
  callbacks: {
    async jwt({ token, user }) {
      if (user) {
        token.uid = user.id;
        // The account's own role. Not `role`: tokens from before ADMIN_USERS was applied per
        // request carry the list's "admin" there, which must not outlive a name's removal.
        token.accountRole = user.role ?? "user";
        // One id per sign-in: Server Events' notifySession reaches every tab of this session.
        token.sid = crypto.randomUUID();
        // The password's version: changing it ends this session (db/credential-versions.ts).
        token.cv = user.credentialVersion ?? 0;
        return token;
      }
      // Every later read of the session, on every page: null signs it out.
      const uid = typeof token.uid === "string" ? token.uid : "";
      const isCurrent = await getCredentialVersions().isCurrent(uid, credentialVersionOf(token));
      return isCurrent ? token : null;
    },
    session({ session, token }) {
      // The same mapping as the Server Events endpoints' own cookie reader.
      Object.assign(session.user, sessionUserFromToken(token, env.ADMIN_USERS));
      return session;
    },
    // Next reports request URLs as http://localhost:PORT; an absolute redirect there would lose the
    // cookie set for 127.0.0.1, so every redirect stays relative — and on this site.
    redirect({ url, baseUrl }) {
      return safeRedirectPath(url, { origin: baseUrl });
    },
  },
}));

/**
 * The device id this request's cookie proves for `name`'s account, as the account is now: a
 * browser remembered before the password last changed is not recognised.
 */
export async function recognizeBrowser(request: { headers: Pick<Headers, "get"> }, name: string) {
  const credentialVersion = (await findUserByName(name))?.credentialVersion ?? 0;
  // Every cookie the browser sent (a planted one must not hide the real one), and the one a
  // server action set earlier in this request (a password change, remembering the browser
  // under the new version before it signs in again).
  const sent = deviceCookieFrom(request.headers.get("cookie"));
  const setHere = (await cookies()).get(DEVICE_COOKIE)?.value;
  const value = [sent, setHere].filter(Boolean).join("~");
  return recognizedDevice(value, { name, credentialVersion });
}

/**
 * Sets the device cookie once a sign-in succeeded (or a password changed): from a server action
 * and from `POST /api/auth/callback/credentials` alike, Next applies cookies set here to the answer.
 */
export async function rememberBrowser(user: RememberedAccount): Promise<void> {
  const jar = await cookies();
  const existing = jar.getAll(DEVICE_COOKIE).map((cookie) => cookie.value);
  const value = rememberDevice(existing.join("~"), user);
  jar.set(DEVICE_COOKIE, value, deviceCookieOptions(isHttpsRequest(await headers())));
}

/**
 * `auth()` for pages and layouts. With `AUTH_URL` unset, Auth.js builds the site's URL from
 * `Host` and `X-Forwarded-*`: `npm start`'s server and `proxy.ts` refuse values no proxy sends,
 * but under `next start` a 404 outside the proxy's matcher still arrives with them,
 * and Auth.js would fail with a 500. Such a request renders signed out.
 */
export async function currentSession(): Promise<Session | null> {
  const requestHeaders = await headers();
  if (!hasUsableSiteHeaders((name) => requestHeaders.get(name) ?? undefined)) return null;
  return auth();
}
