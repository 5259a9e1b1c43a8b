import { env as processEnv, type Env } from "@/lib/env";

type HeaderReader = { get(name: string): string | null };

/**
 * Whether the browser reached us over https, so cookies we set can be `Secure`.
 *
 * `X-Forwarded-Proto` first: Next fills it from the connection when it is missing, and a
 * TLS-terminating proxy sets it (its left-most entry is the scheme the first proxy saw). The
 * `Origin` header, which browsers send with every server action, covers a proxy that does not.
 * Either may be forged, but that only costs the forger: a browser on plain http drops a
 * `Secure` cookie.
 */
export function isHttpsRequest(headers: HeaderReader): boolean {
  const forwarded = headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  if (forwarded === "https") return true;
  const origin = headers.get("origin");
  if (!origin) return false;
  try {
    return new URL(origin).protocol === "https:";
  } catch {
    return false;
  }
}

/**
 * Whether the site is served over https, by Auth.js's rule for its cookie names: `AUTH_URL`'s
 * protocol when set, else `X-Forwarded-Proto` (Next, and npm start's server, fill it from the
 * connection when no proxy did), else the request URL's. Every reader and writer of a cookie
 * whose *name* depends on the scheme must use this one rule, never `Origin`: a POST carries
 * `Origin` and a page load does not, and the two would pick different names.
 */
export function isHttpsSite(
  headers: HeaderReader,
  url?: string,
  env: Pick<Env, "AUTH_URL" | "NEXTAUTH_URL"> = processEnv,
): boolean {
  const envUrl = env.AUTH_URL ?? env.NEXTAUTH_URL;
  if (envUrl) return envUrl.startsWith("https:");
  const forwarded = headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  return (forwarded ?? url?.slice(0, url.indexOf(":"))) === "https";
}
