import { invalidArgument, ServerEventsError } from "@/lib/server-events";

/** What Next's request handler and this server's routes answer; Next throws (a 500) on TRACE. */
export const SERVED_METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"] as const;

const served: ReadonlySet<string> = new Set(SERVED_METHODS);

/**
 * Why a request line cannot be served, before anything routes it: a method outside
 * {@link SERVED_METHODS} (405), or a request target that is not a path (`*`, or the absolute form
 * `http://evil.example/chat`, which Next would turn into a redirect off-site): 400.
 */
export function requestLineProblem(
  method: string | undefined,
  target: string | undefined,
): ServerEventsError | null {
  if (!method || !served.has(method))
    return new ServerEventsError(
      "method_not_allowed",
      `The method '${method ?? ""}' is not served here: use ${SERVED_METHODS.join(", ")}`,
      { field: "method" },
    );
  if (!target?.startsWith("/") || target.startsWith("//"))
    return invalidArgument(
      "target",
      `The request target must be a path starting with a single '/', got ${JSON.stringify(target?.slice(0, 100) ?? "")}`,
    );
  return null;
}
