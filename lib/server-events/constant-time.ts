const encoder = new TextEncoder();

/**
 * Compares two secrets (tokens, session ids) in time that depends only on their lengths, so a
 * caller cannot find a token byte by byte by timing the answers. Plain JS rather than
 * `node:crypto.timingSafeEqual`, so the core runs on any Fetch runtime.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = encoder.encode(a);
  const right = encoder.encode(b);
  let difference = left.length ^ right.length;
  for (let i = 0; i < left.length; i++) difference |= left[i]! ^ (right[i % right.length] ?? 0);
  return difference === 0;
}

/** The token of an `Authorization: Bearer …` header, if any. */
export function bearerToken(request: Request): string | undefined {
  return request.headers.get("authorization")?.match(/^Bearer\s+(\S+)\s*$/iu)?.[1];
}
