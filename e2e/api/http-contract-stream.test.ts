/**
 * The event stream's wire contract over plain HTTP against a real `next start` (docs/protocol.md,
 * "Frames", "Endpoints" and "Replay"): stream headers and first frame, absolute URLs from the
 * forwarded and Host headers, the own onJoin per channel, 400s that name the field, HEAD, and
 * Last-Event-ID replay; and never a 500.
 */
import { request as httpRequest } from "node:http";
import { describe, expect, it } from "vitest";
import {
  expectBadRequest,
  httpContractFixture,
  uniqueChannel,
} from "./support/http-contract-fixture";
import { parseFrame, type SseFrame } from "./support/sse";
import { waitFor } from "./support/wait";

const { server, call, open, connect, recordStatus } = httpContractFixture();

describe("GET /event-stream", () => {
  it("answers with the event-stream headers", async () => {
    const stream = await open("?channels=home");
    expect(stream.response.status).toBe(200);
    expect(stream.response.headers.get("content-type")).toMatch(/^text\/event-stream\b/u);
    expect(stream.response.headers.get("cache-control")).toBe(
      "private, no-cache, no-store, no-transform",
    );
    expect(stream.response.headers.get("x-accel-buffering")).toBe("no");
    expect(stream.response.headers.get("content-length")).toBeNull();
  });

  it("starts with `id: N\\ndata: cmd.onConnect {…}` and absolute URLs", async () => {
    const { first, connect: info } = await connect("?channels=home,news&t=1");
    const match = /^id: (\d+)\ndata: cmd\.onConnect (\{[^\n]*\})\n\n$/u.exec(first.raw);
    expect(match, JSON.stringify(first.raw)).not.toBeNull();
    expect(Number(match![1])).toBeGreaterThan(0);
    for (const value of Object.values(info)) expect(typeof value).toBe("string");
    const base = server().baseUrl;
    const id = encodeURIComponent(info.id!);
    expect(info.id).toMatch(/^[\w-]{20,}$/u);
    expect(info.heartbeatUrl).toBe(`${base}/event-heartbeat?id=${id}`);
    expect(info.unRegisterUrl).toBe(`${base}/event-unregister?id=${id}`);
    expect(info.updateSubscriberUrl).toBe(`${base}/event-subscribers/${id}`);
    expect(info.channels).toBe("home,news");
    expect(info).toMatchObject({
      isAuthenticated: "false",
      heartbeatIntervalMs: "10000",
      idleTimeoutMs: "30000",
    });
    expect(info.userId).toMatch(/^-\d+$/u);
    expect(info.displayName).toMatch(/^user\d+$/u);
  });

  it("builds the URLs from X-Forwarded-Proto and X-Forwarded-Host", async () => {
    const { connect: info } = await connect("?channels=home", {
      "X-Forwarded-Proto": "https",
      "X-Forwarded-Host": "chat.example.com",
    });
    expect(info.heartbeatUrl).toBe(
      `https://chat.example.com/event-heartbeat?id=${encodeURIComponent(info.id!)}`,
    );
    expect(info.unRegisterUrl!.startsWith("https://chat.example.com/event-unregister?id=")).toBe(
      true,
    );
  });

  it("builds the URLs from the Host header", async () => {
    // fetch may not let a Host header through; node:http sends it as given.
    const { port } = server().server;
    const first = await new Promise<string>((resolve, reject) => {
      const req = httpRequest(
        {
          host: "127.0.0.1",
          port,
          path: "/event-stream?channels=home",
          headers: { Host: "events.example.org:8443", Accept: "text/event-stream" },
        },
        (res) => {
          recordStatus("/event-stream (Host)", res.statusCode ?? 0);
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => {
            text += chunk;
            const end = text.indexOf("\n\n");
            if (end >= 0) {
              resolve(text.slice(0, end + 2));
              req.destroy();
            }
          });
          res.on("error", reject);
        },
      );
      req.on("error", (error) => {
        if (!req.destroyed) reject(error);
      });
      req.end();
    });
    const info = JSON.parse(parseFrame(first).json) as Record<string, string>;
    expect(info.heartbeatUrl).toBe(
      `http://events.example.org:8443/event-heartbeat?id=${encodeURIComponent(info.id!)}`,
    );
  });

  it("sends the own onJoin for each channel, prefixed with the channel", async () => {
    const a = uniqueChannel("a");
    const b = uniqueChannel("b");
    const { stream } = await connect(`?channels=${a},${b}`);
    const joinA = await stream.next();
    const joinB = await stream.next();
    expect(joinA.selector).toBe(`${a}@cmd.onJoin`);
    expect(joinB.selector).toBe(`${b}@cmd.onJoin`);
    expect(Number(joinB.id)).toBeGreaterThan(Number(joinA.id));
    expect(JSON.parse(joinA.json)).toMatchObject({ channels: `${a},${b}` });
  });

  it("refuses a channel with '@' with a 400 naming the field", async () => {
    const stream = await open("?channels=a@b");
    await expectBadRequest(stream.response, "channels");
  });

  it("refuses a bad Last-Event-ID with a 400 naming the field", async () => {
    const stream = await open("?channels=home", { "Last-Event-ID": "abc" });
    await expectBadRequest(stream.response, "Last-Event-ID");
  });
});

describe("HEAD", () => {
  it("of the stream answers its headers and subscribes nobody; elsewhere it changes nothing (405)", async () => {
    const channel = uniqueChannel("head");
    const member = await connect(`?channels=${channel}`);
    const head = await call(`/event-stream?channels=${channel}`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-type")).toMatch(/^text\/event-stream\b/u);
    const id = encodeURIComponent(member.connect.id!);
    for (const path of [
      `/event-heartbeat?id=${id}`,
      `/api/UpdateEventSubscriber?id=${id}&subscribeChannels=elsewhere`,
      `/event-unregister?id=${id}`,
    ])
      expect(`${path} ${(await call(path, { method: "HEAD" })).status}`).toBe(`${path} 405`);
    const members = (await (await call(`/event-subscribers?channels=${channel}`)).json()) as Record<
      string,
      string
    >[];
    expect(members.map((m) => m.displayName)).toEqual([member.connect.displayName]);
    expect(members[0]!.channels).toBe(channel);
  });
});

describe("Last-Event-ID", () => {
  it("replays exactly the missed messages, in order, before the live ones", async () => {
    const channel = uniqueChannel("replay");
    const sender = await connect(`?channels=${uniqueChannel("sender")}`);
    const first = await connect(`?channels=${channel}`);
    const join = await first.stream.next();
    expect(join.selector).toBe(`${channel}@cmd.onJoin`);
    const lastEventId = join.id!;
    first.stream.close();
    // The server unregisters the subscription when the request is aborted.
    await waitForMembers(channel, 0);

    const chat = async (message: string) => {
      const response = await call("/api/PostChatToChannel", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ from: sender.connect.id, channel, message }),
      });
      expect(response.status).toBe(200);
      await response.body?.cancel();
    };
    for (const message of ["missed 1", "missed 2", "missed 3"]) await chat(message);

    const resumed = await connect(`?channels=${channel}`, { "Last-Event-ID": lastEventId });
    expect(resumed.connect.recovered).toBe("true");
    await chat("live 1");
    const isChat = (f: SseFrame) => f.selector === `${channel}@cmd.chat`;
    const frames: SseFrame[] = [];
    while (frames.filter(isChat).length < 4) frames.push(await resumed.stream.next());
    const chats = frames.filter(isChat);
    expect(chats.map((f) => (JSON.parse(f.json) as { message: string }).message)).toEqual([
      "missed 1",
      "missed 2",
      "missed 3",
      "live 1",
    ]);
    // The replay comes straight after onConnect, before the new subscription's own onJoin. It
    // also holds the previous subscription's onLeave on that channel (published after lastEventId).
    if (!frames.some((f) => f.selector === `${channel}@cmd.onJoin`))
      frames.push(...(await resumed.stream.until(`${channel}@cmd.onJoin`)));
    const ownJoin = frames.findIndex((f) => f.selector === `${channel}@cmd.onJoin`);
    expect(ownJoin).toBeGreaterThan(0);
    expect(frames.slice(0, ownJoin).map((f) => f.selector)).toEqual([
      `${channel}@cmd.onLeave`,
      `${channel}@cmd.chat`,
      `${channel}@cmd.chat`,
      `${channel}@cmd.chat`,
    ]);
    expect(frames.slice(0, ownJoin).filter(isChat)).toEqual(chats.slice(0, 3));
    const ids = chats.map((f) => Number(f.id));
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    expect(new Set(ids).size).toBe(4);
    expect(ids[0]).toBeGreaterThan(Number(lastEventId));
  });
});

async function waitForMembers(channel: string, count: number): Promise<void> {
  await waitFor(
    async () => {
      const response = await call(`/event-subscribers?channels=${channel}`);
      return ((await response.json()) as unknown[]).length === count;
    },
    { message: `${count} members in ${channel}` },
  );
}
