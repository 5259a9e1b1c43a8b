type RouteHandler<R extends Request> = (request: R) => Promise<Response>;

/**
 * Auth.js's forms hold a name, a password, a CSRF token and a callback URL: a few hundred bytes.
 * 64 KB leaves room for any of them, and none for a body meant to fill memory.
 */
export const MAX_AUTH_BODY_BYTES = 64 * 1024;

/**
 * Answers `413` to a body declared larger than `limit`, and `411` to one sent without a length
 * (chunked), before Auth.js buffers it whole (and the throttle's look at the name, a second
 * time): under `npm start` nothing else in front of Next caps a body. A body with a
 * `Content-Length` is read no further than it by Node's parser, so checking the header bounds it.
 * Browsers and Auth.js's own client always send one.
 */
export function refuseLargeBodies<R extends Request>(
  handler: RouteHandler<R>,
  limit = MAX_AUTH_BODY_BYTES,
): RouteHandler<R> {
  return async (request) => {
    const length = request.headers.get("content-length");
    if (length === null) {
      if (request.headers.has("transfer-encoding"))
        return Response.json(
          { error: "Send the body with a Content-Length", field: "body" },
          { status: 411 },
        );
      return handler(request);
    }
    if (!/^\d+$/u.test(length) || Number(length) > limit)
      return Response.json(
        { error: `The request body exceeds ${limit} bytes`, field: "body" },
        { status: 413 },
      );
    return handler(request);
  };
}
