/**
 * The wire contract over plain HTTP against a real `next start` (docs/protocol.md, "Frames" and "Endpoints"):
 * stream headers and first frame, heartbeat, unregister, subscriber listing and updates,
 * 400s that name the field, Last-Event-ID replay, and never a 500.
 */
import { request as httpRequest } from "node:http";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { nextServerFixture } from "./support/fixture";
import { randomToken } from "./support/next-server";
import { openSse, parseFrame, type SseFrame, type SseStream } from "./support/sse";
import { waitFor } from "./support/wait";

const server = nextServerFixture();

/** Every status seen, to assert that nothing answered 500. */
const statuses: { url: string; status: number }[] = [];
const streams: SseStream[] = [];

afterEach(() => {
  for (const stream of streams.splice(0)) stream.close();
});

afterAll(() => {
  expect(statuses.filter((s) => s.status >= 500)).toEqual([]);
  expect(server().server.output()).not.toMatch(/unexpected error/u);
});

async function call(path: string, init: RequestInit = {}): Promise<Response> {
  const url = `${server().baseUrl}${path}`;
  const response = await fetch(url, init);
  statuses.push({ url, status: response.status });
  return response;
}

async function open(query: string, headers: Record<string, string> = {}): Promise<SseStream> {
  const url = `${server().baseUrl}/event-stream${query}`;
  const stream = await openSse(url, headers);
  statuses.push({ url, status: stream.response.status });
  streams.push(stream);
  return stream;
}

interface Connected {
  stream: SseStream;
  connect: Record<string, string>;
  first: SseFrame;
}

/** Opens a stream and reads its `cmd.onConnect`. */
async function connect(query: string, headers: Record<string, string> = {}): Promise<Connected> {
  const stream = await open(query, headers);
  expect(stream.response.status).toBe(200);
  const first = await stream.next();
  expect(first.selector).toBe("cmd.onConnect");
  return { stream, first, connect: JSON.parse(first.json) as Record<string, string> };
}

/** A channel name no other test uses. */
const uniqueChannel = (prefix: string) => `${prefix}-${randomToken(8)}`;

interface ErrorBody {
  responseStatus: {
    errorCode: string;
    message: string;
    errors: { errorCode: string; fieldName: string; message: string }[];
  };
}

async function expectBadRequest(response: Response, field: string): Promise<void> {
  expect(response.status).toBe(400);
  const body = (await response.json()) as ErrorBody;
  expect(body.responseStatus.errors.map((e) => e.fieldName)).toContain(field);
  expect(body.responseStatus.message).toContain(field);
}

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
          statuses.push({ url: "/event-stream (Host)", status: res.statusCode ?? 0 });
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

describe("malformed percent-escapes in the path", () => {
  // Next decodes dynamic segments before any handler of ours runs and answers a malformed one
  // with 500: npm start's server answers first, and under `next start` the proxy does.
  it("get 400, never a 500", async () => {
    for (const [method, path] of [
      ["GET", "/api/%ZZ"],
      ["POST", "/channels/%FF/chat"],
      ["GET", "/channels/%ED%A0%80/messages"],
      ["POST", "/event-subscribers/%ZZ"],
      ["GET", "/api/auth/%ZZ"],
      ["POST", "/avatars/%ZZ.svg"],
      ["GET", "/chat/%FF"],
      ["GET", "/%ZZ"],
    ] as const) {
      const response = await call(path, { method });
      expect(`${method} ${path} ${response.status}`).toBe(`${method} ${path} 400`);
    }
  });
});

describe("Auth.js's endpoints", () => {
  it("refuse a body past 64 KB (413) before buffering it", async () => {
    const response = await call("/api/auth/callback/credentials", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "ada", password: "x".repeat(100_000) }),
    });
    expect(response.status).toBe(413);
  });
});

describe("/event-heartbeat", () => {
  it.each(["GET", "POST"])(
    "%s answers 200 with an empty body and pulses the stream",
    async (method) => {
      const { stream, connect: info } = await connect(`?channels=${uniqueChannel("hb")}`);
      await stream.next(); // own join
      const response = await call(`/event-heartbeat?id=${encodeURIComponent(info.id!)}`, {
        method,
        ...(method === "POST" ? { headers: { "Content-Type": "text/plain" } } : {}),
      });
      expect(response.status).toBe(200);
      expect(await response.text()).toBe("");
      const heartbeat = await stream.next();
      expect(heartbeat.selector).toBe("cmd.onHeartbeat");
      expect(JSON.parse(heartbeat.json)).toMatchObject({ displayName: info.displayName });
    },
  );

  it.each(["GET", "POST"])("%s answers 404 for an unknown id", async (method) => {
    const response = await call(`/event-heartbeat?id=no-such-subscription`, { method });
    expect(response.status).toBe(404);
    await response.body?.cancel();
  });
});

describe("/event-unregister", () => {
  it.each(["GET", "POST"])("%s returns the Meta JSON and ends the stream", async (method) => {
    const channel = uniqueChannel("unreg");
    const { stream, connect: info } = await connect(`?channels=${channel}`);
    const response = await call(`/event-unregister?id=${encodeURIComponent(info.id!)}`, {
      method,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/u);
    const meta = (await response.json()) as Record<string, string>;
    expect(meta).toMatchObject({
      userId: info.userId,
      displayName: info.displayName,
      isAuthenticated: "false",
      channels: channel,
    });
    expect(meta).not.toHaveProperty("id");
    await stream.ended;

    const again = await call(`/event-unregister?id=${encodeURIComponent(info.id!)}`, { method });
    expect(again.status).toBe(404);
    await again.body?.cancel();
  });
});

describe("/event-subscribers", () => {
  it("lists the members of a channel without their subscription ids", async () => {
    const channel = uniqueChannel("list");
    const one = await connect(`?channels=${channel}`);
    const two = await connect(`?channels=${channel},other`);
    const response = await call(`/event-subscribers?channels=${channel}`);
    expect(response.status).toBe(200);
    // Who is listed depends on who asks: no shared cache may keep it.
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    const text = await response.text();
    const list = JSON.parse(text) as Record<string, string>[];
    expect(list.map((m) => m.displayName).sort()).toEqual(
      [one.connect.displayName, two.connect.displayName].sort(),
    );
    for (const meta of list) expect(meta).not.toHaveProperty("id");
    expect(text).not.toContain(one.connect.id);
    expect(text).not.toContain(two.connect.id);

    const all = await call("/event-subscribers");
    const allText = await all.text();
    expect(all.status).toBe(200);
    expect((JSON.parse(allText) as Record<string, string>[]).map((m) => m.displayName)).toEqual(
      expect.arrayContaining([one.connect.displayName, two.connect.displayName]),
    );
    expect(allText).not.toContain(one.connect.id);
  });

  it("answers /json/reply/GetEventSubscribers and /api/GetEventSubscribers", async () => {
    const channel = uniqueChannel("reply");
    const { connect: info } = await connect(`?channels=${channel}`);
    for (const path of ["/json/reply/GetEventSubscribers", "/api/GetEventSubscribers"]) {
      const response = await call(`${path}?channels=${channel}`);
      expect(response.status).toBe(200);
      const list = (await response.json()) as Record<string, string>[];
      expect(list).toHaveLength(1);
      expect(list[0]).toMatchObject({ displayName: info.displayName, channels: channel });
    }
  });

  it("updates channels from JSON `{SubscribeChannels:[…]}` and form `subscribeChannels=a,b`", async () => {
    const home = uniqueChannel("home");
    const x = uniqueChannel("x");
    const a = uniqueChannel("a");
    const b = uniqueChannel("b");
    const { stream, connect: info } = await connect(`?channels=${home}`);
    const path = `/event-subscribers/${encodeURIComponent(info.id!)}`;

    const json = await call(path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ SubscribeChannels: [x] }),
    });
    expect(json.status).toBe(200);
    expect(await json.json()).toEqual({});
    const update = (await stream.until("cmd.onUpdate")).at(-1)!;
    expect(JSON.parse(update.json)).toMatchObject({ channels: `${home},${x}` });

    const form = await call(path, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: `subscribeChannels=${a},${b}`,
    });
    expect(form.status).toBe(200);
    await form.body?.cancel();

    for (const channel of [home, x, a, b]) {
      const members = await call(`/event-subscribers?channels=${channel}`);
      const list = (await members.json()) as Record<string, string>[];
      expect(list.map((m) => m.channels)).toEqual([`${home},${x},${a},${b}`]);
    }
  });

  it("refuses an update with a bad channel, naming the field", async () => {
    const { connect: info } = await connect(`?channels=${uniqueChannel("bad")}`);
    const response = await call(`/event-subscribers/${encodeURIComponent(info.id!)}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ subscribeChannels: ["a@b"] }),
    });
    await expectBadRequest(response, "subscribeChannels");
  });

  it("answers 404 for an update of an unknown subscription", async () => {
    const response = await call("/event-subscribers/no-such-subscription", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ subscribeChannels: ["a"] }),
    });
    expect(response.status).toBe(404);
    await response.body?.cancel();
  });
});

describe("demo services", () => {
  it("refuses a selector with a space, naming the field", async () => {
    const { connect: info } = await connect(`?channels=${uniqueChannel("sel")}`);
    const response = await call("/api/PostRawToChannel", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ from: info.id, channel: "home", selector: "cmd.a b", message: "x" }),
    });
    await expectBadRequest(response, "selector");
  });

  it("refuses a chat to a channel with '@', naming the field", async () => {
    const { connect: info } = await connect(`?channels=${uniqueChannel("chan")}`);
    const response = await call("/api/PostChatToChannel", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ from: info.id, channel: "a@b", message: "x" }),
    });
    await expectBadRequest(response, "channel");
  });

  it("answers 404 for a chat from an unknown subscription", async () => {
    const response = await call("/api/PostChatToChannel", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ from: "no-such-subscription", channel: "home", message: "x" }),
    });
    expect(response.status).toBe(404);
    await response.body?.cancel();
  });

  it("refuses ResetServerEvents without the operator token", async () => {
    const response = await call("/api/ResetServerEvents", { method: "POST" });
    expect(response.status).toBe(403);
    await response.body?.cancel();
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
