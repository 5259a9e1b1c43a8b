import type { OutgoingHttpHeaders, ServerResponse } from "node:http";

/**
 * Writes a Fetch `Response` (the core's answers: small JSON bodies, empty 200s, errors) to a Node
 * response: status, reason phrase (ServiceStack's clients show it), headers, then the whole body.
 */
export async function sendResponse(res: ServerResponse, response: Response): Promise<void> {
  const headers: OutgoingHttpHeaders = {};
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie") headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers["set-cookie"] = cookies;
  const body = response.body ? Buffer.from(await response.arrayBuffer()) : undefined;
  if (body && headers["content-length"] === undefined) headers["content-length"] = body.byteLength;
  if (!body && response.status !== 204 && response.status !== 304) headers["content-length"] = 0;
  if (res.destroyed) return;
  res.writeHead(response.status, response.statusText || undefined, headers);
  res.end(body);
}
