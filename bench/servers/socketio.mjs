// @ts-check
/**
 * socket.io with @socket.io/postgres-adapter: a client joins the room named by its `channel` query
 * and gets "ready"; POST /publish?channel=c emits the body as event "bench" to the room, through
 * the adapter (NOTIFY to every instance on the database in DATABASE_URL).
 */
import http from "node:http";
import { createAdapter } from "@socket.io/postgres-adapter";
import pg from "pg";
import { Server } from "socket.io";
import { channelOf, readBody } from "./body.mjs";

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 4 });
pool.on("error", (error) => console.error("pg pool", error));
await pool.query(`CREATE TABLE IF NOT EXISTS socket_io_attachments (
  id bigserial UNIQUE, created_at timestamptz DEFAULT NOW(), payload bytea)`);

let io;
const server = http.createServer(async (req, res) => {
  if (req.method === "POST" && req.url?.startsWith("/publish")) {
    const body = await readBody(req);
    io.to(channelOf(req)).emit("bench", body);
    res.writeHead(204).end();
    return;
  }
  if (!req.url?.startsWith("/socket.io")) res.writeHead(404).end();
});
server.keepAliveTimeout = 60_000;

io = new Server(server, { transports: ["websocket"], maxHttpBufferSize: 4e6 });
io.adapter(createAdapter(pool));
io.on("connection", (socket) => {
  socket.join(String(socket.handshake.query.channel ?? "bench"));
  socket.emit("ready");
});

server.listen(Number(process.env.PORT), "127.0.0.1", () => console.log("listening"));
const stop = () => {
  io.close();
  pool.end().finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
};
process.on("SIGTERM", stop);
process.on("disconnect", stop);
