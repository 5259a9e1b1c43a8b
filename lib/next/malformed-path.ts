import { errorResponse, invalidArgument } from "@/lib/server-events";

/**
 * A 400 naming the path when it is not valid percent-encoded UTF-8 (`/api/%ZZ`, `/chat/%FF`), or
 * null. Next fails to decode such a path for a dynamic route and answers 500, so both serving
 * modes ask here first: npm start's server before it hands a request to Next, the proxy (under
 * `next start`, for paths its matcher lets through) before Next routes it.
 */
export function refuseMalformedPath(path: string): Response | null {
  if (!path.includes("%")) return null;
  try {
    decodeURIComponent(path);
    return null;
  } catch {
    const error = invalidArgument("path", "The path is not valid percent-encoded UTF-8");
    return errorResponse(error, () => undefined);
  }
}
