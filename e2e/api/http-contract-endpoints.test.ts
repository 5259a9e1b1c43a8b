/**
 * The wire contract of the endpoints beside the stream, over plain HTTP against a real
 * `next start` (docs/protocol.md, "Endpoints" and "Services"): heartbeat, unregister, subscriber
 * listing and updates, and the demo services, with 400s that name the field and 404s for unknown
 * subscriptions; 400 for a malformed percent-escape in the path, 413 for an oversized body to
 * Auth.js, and never a 500.
 */
import { describe, expect, it } from "vitest";
import {
  expectBadRequest,
  httpContractFixture,
  uniqueChannel,
} from "./support/http-contract-fixture";

const { call, connect } = httpContractFixture();

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
