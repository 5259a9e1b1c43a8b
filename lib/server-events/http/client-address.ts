import type { HeaderReader } from "./request-head";

/**
 * The key per-address limits count a client under (the streams of cookieless callers here, the
 * app's sign-in and sign-up limits): the RIGHT-most `X-Forwarded-For` entry, reduced to its /64
 * network for IPv6.
 *
 * Why the right-most entry: Next's server, and the Node adapter, fill `X-Forwarded-For` with the
 * connection's address when the request has none (a Fetch handler has no other way to see it), and
 * a reverse proxy that appends to the header (nginx's `$proxy_add_x_forwarded_for`, most load
 * balancers) puts the address *it* saw at the right end. Everything to the left was written by
 * the client and is free to lie, so the left-most entry would let an attacker pick a fresh key
 * per request — or lock out someone else's address.
 *
 * With no proxy in front, a client could send its own `X-Forwarded-For`. `npm start`'s server
 * settles the header first (lib/server-events-node/forwarded-for.ts): it believes it only from
 * a private network, where proxies sit, and otherwise appends the connection's address. `next
 * start` cannot (Next only fills the header when it is missing, and a route handler never sees
 * the socket), so there the per-address limits are only as good as the proxy in front. Behind
 * two proxies the right-most entry is the inner proxy's view of the outer one, shared by every
 * client; raise the per-address limits then.
 *
 * `undefined` when the entry is not an IP address: the caller then skips the per-address limits
 * rather than pooling every such request under one key, which would let a few failures lock out
 * everybody at once (a spoofing client gains nothing by it: it could send a fresh address instead).
 */
export function clientAddress(headers: HeaderReader): string | undefined {
  const forwarded = headers.get("x-forwarded-for") ?? "";
  return normalizeAddress(forwarded.split(",").at(-1)?.trim() ?? "");
}

/** A counting key for one address, or `undefined` when `value` is not an IP address. */
export function normalizeAddress(value: string): string | undefined {
  const address = value.replace(/^\[|\](?::\d+)?$/gu, "").toLowerCase();
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/u.exec(address);
  if (mapped) return mapped[1];
  // Some proxies (Azure's among them) write IPv4 addresses with the client's port.
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3})(?::\d+)?$/u.exec(address);
  if (v4) return v4[1];
  const groups = expandIPv6(address);
  // One subscriber usually gets a whole /64, so counting single IPv6 addresses would hand an
  // attacker 2^64 fresh keys.
  return groups ? `${groups.slice(0, 4).join(":")}::/64` : undefined;
}

/** The eight 16-bit groups of an IPv6 address (`::` expanded, zone id dropped), if it is one. */
function expandIPv6(address: string): string[] | undefined {
  const [withoutZone = ""] = address.split("%", 1);
  if (!/^[0-9a-f:]+$/u.test(withoutZone) || withoutZone.length > 39) return undefined;
  const halves = withoutZone.split("::");
  if (halves.length > 2) return undefined;
  const [head = "", tail] = halves;
  const split = (part: string) => (part === "" ? [] : part.split(":"));
  const left = split(head);
  const right = tail === undefined ? [] : split(tail);
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return undefined;
  const groups = [...left, ...Array<string>(missing).fill("0"), ...right];
  if (!groups.every((group) => /^[0-9a-f]{1,4}$/u.test(group))) return undefined;
  return groups.map((group) => group.replace(/^0+(?=.)/u, ""));
}
