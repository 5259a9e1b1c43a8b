import type { Server, ServerResponse } from "node:http";

/**
 * Closes the Node server's connections as it drains. `server.close()` refuses new connections and
 * drops idle ones, but a connection busy at that moment stays keep-alive and goes on taking
 * requests (a proxy's pool sends them) until the process exits in the middle of one, and a POST
 * cut that way is not retried: 502. Here every response not yet begun says `Connection: close`,
 * and connections left idle by responses that were under way are closed as they go idle.
 */
export class ConnectionDrain {
  private readonly unanswered = new Set<ServerResponse>();
  private draining = false;

  constructor(private readonly server: Server) {}

  /** First thing for every request. */
  track(res: ServerResponse): void {
    if (this.draining) {
      res.shouldKeepAlive = false;
      return;
    }
    this.unanswered.add(res);
    res.once("close", () => this.unanswered.delete(res));
  }

  begin(): void {
    if (this.draining) return;
    this.draining = true;
    for (const res of this.unanswered) if (!res.headersSent) res.shouldKeepAlive = false;
    this.unanswered.clear();
    this.server.close();
    this.server.closeIdleConnections();
    setInterval(() => this.server.closeIdleConnections(), 100).unref();
  }
}
