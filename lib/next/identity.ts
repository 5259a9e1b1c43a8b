import type { CallerIdentity } from "@/lib/server-events";

/** Who is calling. Anonymous until Auth.js is wired in (guests get ServiceStack's `-N`/`userN`). */
export function resolveCaller(_request: Request): Promise<CallerIdentity | null> {
  return Promise.resolve(null);
}
