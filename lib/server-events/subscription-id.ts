const ID_BYTES = 15;
/** Random bytes drawn for 256 ids at once: one `getRandomValues` call per 256 streams. */
const pool = new Uint8Array(ID_BYTES * 256);
let used = pool.length;

/**
 * 15 random bytes as URL-safe base64: 20 characters, 120 bits — unguessable, like ServiceStack's
 * `CreateSessionId()`, and safe in query strings and paths without encoding. The bytes come from
 * a pool refilled 256 ids at a time: a call into the CSPRNG costs far more than 15 bytes of it,
 * and more again where a framework wraps `crypto` (Next.js does, in the same process).
 * @see docs/protocol.md, "Ownership"
 */
export function createSubscriptionId(): string {
  if (used === pool.length) {
    crypto.getRandomValues(pool);
    used = 0;
  }
  let binary = "";
  for (let i = used; i < used + ID_BYTES; i++) binary += String.fromCharCode(pool[i]!);
  // Used bytes are never handed out twice.
  pool.fill(0, used, used + ID_BYTES);
  used += ID_BYTES;
  return btoa(binary).replace(/\+/gu, "-").replace(/\//gu, "_");
}
