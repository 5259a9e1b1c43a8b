// @ts-check
/**
 * The ceiling: a bare node:http SSE server that only fans out. GET /sse?channel=c subscribes,
 * POST /publish?channel=c with the message as body writes `data: <body>` to every subscriber.
 */
import http from "node:http";
import { channelOf, readBody } from "./body.mjs";

const channels = new Map();

const server = http.createServer(async (req, res) => {
  if (req.method === "GET" && req.url?.startsWith("/sse")) {
    const channel = channelOf(req);
    res.writeHead(200, {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache, no-transform",
      Connection: "keep-alive",
    });
    res.write(": ok\n\n");
    let members = channels.get(channel);
    if (!members) channels.set(channel, (members = new Set()));
    members.add(res);
    res.on("close", () => {
      members.delete(res);
      if (members.size === 0) channels.delete(channel);
    });
    return;
  }
  if (req.method === "POST" && req.url?.startsWith("/publish")) {
    const body = await readBody(req);
    const frame = Buffer.from(`data: ${body}\n\n`);
    for (const member of channels.get(channelOf(req)) ?? []) member.write(frame);
    res.writeHead(204).end();
    return;
  }
  res.writeHead(404).end();
});

server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT), "127.0.0.1", () => console.log("listening"));
process.on("SIGTERM", () => process.exit(0));
process.on("disconnect", () => process.exit(0));
