/**
 * Whether the browser reached us over https, so cookies we set can be `Secure`.
 *
 * `X-Forwarded-Proto` first: Next fills it from the connection when it is missing, and a
 * TLS-terminating proxy sets it (its left-most entry is the scheme the first proxy saw). The
 * `Origin` header, which browsers send with every server action, covers a proxy that does not.
 * Either may be forged, but that only costs the forger: a browser on plain http drops a
 * `Secure` cookie.
 */
export function isHttpsRequest(headers: { get(name: string): string | null }): boolean {
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
