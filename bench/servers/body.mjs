// @ts-check
/** Reads a whole request body as a string. */
export function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

export function channelOf(req) {
  return new URL(req.url, "http://x").searchParams.get("channel") ?? "bench";
}
