// @ts-check
/** better-sse: a Session per GET /sse?channel=c registered on a Channel; POST /publish broadcasts. */
import http from "node:http";
import { createChannel, createSession } from "better-sse";
import { channelOf, readBody } from "./body.mjs";

const channels = new Map();
function channelNamed(name) {
  let channel = channels.get(name);
  if (!channel) channels.set(name, (channel = createChannel()));
  return channel;
}

const server = http.createServer(async (req, res) => {
  if (req.method === "GET" && req.url?.startsWith("/sse")) {
    // keepAlive off: the other servers send no periodic comments either.
    const session = await createSession(req, res, { keepAlive: null });
    channelNamed(channelOf(req)).register(session);
    return;
  }
  if (req.method === "POST" && req.url?.startsWith("/publish")) {
    const body = await readBody(req);
    channelNamed(channelOf(req)).broadcast(body, "bench");
    res.writeHead(204).end();
    return;
  }
  res.writeHead(404).end();
});

server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT), "127.0.0.1", () => console.log("listening"));
process.on("SIGTERM", () => process.exit(0));
process.on("disconnect", () => process.exit(0));
