/**
 * 15 random bytes as URL-safe base64: 20 characters, 120 bits — unguessable, like ServiceStack's
 * `CreateSessionId()`, and safe in query strings and paths without encoding.
 * @see docs/protocol.md, "Ownership"
 */
export function createSubscriptionId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(15));
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/gu, "-").replace(/\//gu, "_");
}
