import type { IncomingMessage } from "node:http";
import { normalizeAddress } from "@/lib/server-events";

/**
 * Whose `X-Forwarded-For` to believe, for the per-address limits (which count the right-most
 * entry: what the nearest proxy saw).
 * - `private`: believe it when the connection comes from a loopback, private or link-local
 *   address, where load balancers and sidecar proxies sit; a client on the internet that writes
 *   its own header is counted under its real address.
 * - `always`: believe it (behind a proxy with a public address, such as a CDN).
 * - `never`: count the connection's own address (every client of a proxy then shares one).
 *
 * `private` assumes that a connection from a private address is a proxy's. Where clients reach the
 * app through address translation instead (a Kubernetes NodePort with `externalTrafficPolicy:
 * Cluster`, Docker's userland proxy), their connections come from a private address too and their
 * own header would be believed: use `never` there, or put a proxy in front.
 */
export type ForwardedForTrust = "private" | "always" | "never";

/**
 * Where requests whose connection has no address any more are counted, all together: a client
 * that resets its connection right after sending a request leaves Node unable to say whose it
 * was, and its own header must not count instead (it could escape every per-address limit, or
 * charge someone else's address).
 */
export const UNKNOWN_PEER = "0.0.0.0";

/**
 * Settles `X-Forwarded-For` on an incoming request before anything reads it: when the header is
 * not to be believed, the connection's address is appended, as a proxy would, so that the
 * right-most entry is one nobody could choose. A missing header becomes that address.
 */
export function settleForwardedFor(req: IncomingMessage, trust: ForwardedForTrust): void {
  const peer = req.socket.remoteAddress;
  if (peer === undefined) {
    req.headers["x-forwarded-for"] = UNKNOWN_PEER;
    return;
  }
  const sent = req.headers["x-forwarded-for"];
  if (sent === undefined || sent === "") {
    req.headers["x-forwarded-for"] = peer;
    return;
  }
  const header = Array.isArray(sent) ? sent.join(", ") : sent;
  const believed = trust === "always" || (trust === "private" && isPrivateAddress(peer));
  // Believed or not, the right-most entry must be an address: junk there would otherwise count
  // under no address at all, and escape every per-address limit.
  const nearest = header.split(",").at(-1)?.trim() ?? "";
  if (believed && normalizeAddress(nearest) !== undefined) return;
  req.headers["x-forwarded-for"] = `${header}, ${peer}`;
}

/** Loopback, private (RFC 1918, RFC 4193), link-local and shared (RFC 6598) addresses. */
export function isPrivateAddress(address: string): boolean {
  const v4 = /^(?:::ffff:)?(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}$/iu.exec(address);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return (
      a === 127 ||
      a === 10 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254) ||
      (a === 100 && b >= 64 && b <= 127)
    );
  }
  const v6 = address.toLowerCase();
  return v6 === "::1" || /^f[cd][0-9a-f]{2}:/u.test(v6) || /^fe[89ab][0-9a-f]:/u.test(v6);
}
