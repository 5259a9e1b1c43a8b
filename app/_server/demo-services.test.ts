import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createServerEventsHandlers,
  MemoryServerEvents,
  type CallerIdentity,
  type ServerEventsHandlers,
  type ServerEventsOptions,
} from "@/lib/server-events";
import { FrameReader } from "@/lib/server-events/testing/frame-reader";
import { MemoryChatHistory } from "./chat-history";
import { createDemoServices } from "./demo-services";

const origin = "http://127.0.0.1:3000";
const alice: CallerIdentity = { isAuthenticated: true, userId: "u-alice", userName: "alice" };
const guest: CallerIdentity = { isAuthenticated: false, sessionId: "guest-cookie-0123456789" };
const guest2: CallerIdentity = { isAuthenticated: false, sessionId: "guest-cookie-9876543210" };
const ada: CallerIdentity = {
  isAuthenticated: true,
  userId: "u-ada",
  userName: "ada",
  roles: ["admin"],
};
let events: MemoryServerEvents;
let handlers: ServerEventsHandlers;
let history: MemoryChatHistory;
const open: FrameReader[] = [];

async function setUp(options: ServerEventsOptions = {}, limits = {}, historyChannelsPerHour = 200) {
  events = new MemoryServerEvents({ onError: () => undefined, ...options });
  await events.start();
  history = new MemoryChatHistory();
  const callers: Record<string, CallerIdentity> = { alice, guest, guest2, ada };
  handlers = createServerEventsHandlers({
    serverEvents: events,
    resolveIdentity: (request) =>
      Promise.resolve(callers[request.headers.get("x-user") ?? ""] ?? null),
    services: createDemoServices({ history, maxChatLength: 50, historyChannelsPerHour }),
    onError: (error) => {
      throw error;
    },
    ...limits,
  });
}

beforeEach(() => setUp());
afterEach(async () => {
  await Promise.all(open.splice(0).map((reader) => reader.cancel()));
  await events.stop();
});

async function connect(user?: string) {
  const headers: Record<string, string> = user ? { "x-user": user } : {};
  const response = await handlers.stream(
    new Request(`${origin}/event-stream?channels=home`, { headers }),
  );
  const frames = new FrameReader(response.body!);
  open.push(frames);
  const info = (await frames.next()).body as Record<string, string>;
  await frames.until((frame) => frame.selector === "cmd.onJoin");
  return { frames, id: info.id! };
}

function call(
  operation: string,
  body: Record<string, unknown>,
  user?: string,
  extraHeaders: Record<string, string> = {},
) {
  const headers: Record<string, string> = { "content-type": "application/json", ...extraHeaders };
  if (user) headers["x-user"] = user;
  const request = new Request(`${origin}/api/${operation}`, {
    method: "POST",
    headers,
    body: JSON.stringify(body),
  });
  return handlers.service(request, operation);
}

async function failure(response: Response) {
  const body = (await response.json()) as {
    responseStatus: { errors: { fieldName: string }[] };
  };
  return `${response.status} ${body.responseStatus.errors[0]?.fieldName}`;
}

describe("publishing through the demo services", () => {
  it("names the recipient of a private message, so both sides file it under one conversation", async () => {
    const sender = await connect("alice");
    const recipient = await connect("guest");
    const { userId: guestUserId, displayName: guestName } = (await events.getSubscriptionInfo(
      recipient.id,
    ))!;
    const response = await call(
      "PostChatToChannel",
      { from: sender.id, channel: "home", message: "psst", toUserId: guestUserId },
      "alice",
    );
    expect(await response.json()).toMatchObject({
      private: true,
      fromUserId: "u-alice",
      toUserId: guestUserId,
      toName: guestName,
    });
    const received = await recipient.frames.until((frame) => frame.selector === "cmd.chat");
    expect(received.body).toMatchObject({ message: "psst", toUserId: guestUserId });
    const echo = await sender.frames.until((frame) => frame.selector === "cmd.chat");
    expect(echo.body).toMatchObject({ message: `@${guestName}: psst`, toName: guestName });
    expect(await history.recent(["home"], 10)).toEqual([]);
  });

  it("needs a live 'from' subscription for objects too", async () => {
    const response = await call("PostObjectToChannel", { channel: "home", x: { a: 1 } });
    expect(await failure(response)).toBe("400 from");
    const unknown = await call("PostObjectToChannel", { from: "nope", x: { a: 1 } });
    expect(await failure(unknown)).toBe("404 id");
  });

  it.each([
    ["PostRawToChannel", { selector: "cmd.onConnect", message: "x" }],
    ["PostRawToChannel", { selector: "CMD.onHeartbeat$#x", message: "x" }],
    ["PostChatToChannel", { selector: "cmd.onJoin", message: "x" }],
    ["PostObjectToChannel", { onConnect: { heartbeatUrl: "https://evil.example/hb" } }],
    ["PostObjectToChannel", { selector: "cmd.onLeave", x: { a: 1 } }],
    ["PostRawToChannel", { selector: "cmd.on-Connect", message: "x" }],
  ])("refuses the server's own selectors: %s %j", async (operation, body) => {
    const { id } = await connect();
    const response = await call(operation, { from: id, channel: "home", ...body });
    expect(await failure(response)).toBe("400 selector");
  });

  it("answers 400, not 500, to a typed object nested thousands of levels deep", async () => {
    const { id } = await connect();
    // Built as text: JSON.stringify (what publishing the object runs) overflows the stack on it.
    const deep = `${"[".repeat(4188)}${"]".repeat(4188)}`;
    const response = await handlers.service(
      new Request(`${origin}/api/PostObjectToChannel`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: `{"from":${JSON.stringify(id)},"customType":${deep}}`,
      }),
      "PostObjectToChannel",
    );
    expect(await failure(response)).toBe("400 body");
  });

  it.each([
    ["PostObjectToChannel", { selector: "cmd.chat", x: { fromName: "admin", message: "hi" } }],
    ["PostObjectToChannel", { chat: { fromName: "admin", message: "hi" } }],
    ["PostRawToChannel", { selector: "cmd.chat", message: "hi" }],
    ["PostObjectToChannel", { selector: "shapes.snapshot", x: { shapes: [] } }],
    ["PostChatToChannel", { selector: "Shapes.Snapshot", message: "hi" }],
    // Clients drop a target's first "-" and match receivers case-insensitively.
    ["PostObjectToChannel", { selector: "shapes.snap-shot", x: { shapes: [] } }],
    ["PostRawToChannel", { selector: "shapes.-SNAPSHOT$#canvas", message: "{}" }],
    ["PostRawToChannel", { selector: "cmd.ch-at", message: "hi" }],
    ["PostRawToChannel", { selector: "cmd.operatorNotice", message: "Re-enter your password" }],
    ["PostObjectToChannel", { operatorNotice: { text: "hi" } }],
  ])(
    "keeps chat, snapshot and operator frames to the services that build them: %s %j",
    async (op, body) => {
      const { id } = await connect();
      const response = await call(op, { from: id, channel: "home", ...body });
      expect(await failure(response)).toBe("400 selector");
    },
  );

  it("keeps what acts on pages (window.*, document.*, css.*, cmd.toggle/show/hide) for signed-in senders", async () => {
    const anonymous = await connect();
    for (const selector of [
      "window.location",
      "css.background-image$#top",
      "Window.alert",
      "document.title",
      "cmd.toggle$body",
      "cmd.Hide$#log",
      "cmd.show",
      "cmd.tog-gle$body",
      "cmd.-Hide",
    ]) {
      const body = { from: anonymous.id, channel: "home", selector, message: "x" };
      expect(await failure(await call("PostRawToChannel", body))).toBe("403 selector");
    }
    const signedIn = await connect("alice");
    const body = { from: signedIn.id, channel: "home", selector: "window.location", message: "/x" };
    expect((await call("PostRawToChannel", body, "alice")).status).toBe(200);
  });

  it("lets anyone send other cmd.* and trigger.* messages (ServiceStack's test suites do)", async () => {
    const { id, frames } = await connect();
    for (const selector of ["trigger.customEvent", "cmd.announce", "cmd.paint$#top"]) {
      const body = { from: id, channel: "home", selector, message: "hi" };
      expect((await call("PostRawToChannel", body)).status).toBe(200);
      expect((await frames.next()).selector).toBe(selector);
    }
  });

  it("keeps the ops an app declares as remote control, such as the chat's TV, for signed-in senders", async () => {
    await events.stop();
    await setUp({ remoteControlOps: ["window", "document", "css", "TV"] }); // in any case
    const anonymous = await connect();
    const watch = { channel: "home", selector: "tv.watch", message: "https://evil.example/x.png" };
    const refused = await call("PostRawToChannel", { from: anonymous.id, ...watch });
    expect(await failure(refused)).toBe("403 selector");
    const signedIn = await connect("alice");
    expect((await call("PostRawToChannel", { from: signedIn.id, ...watch }, "alice")).status).toBe(
      200,
    );
  });

  it("can turn the remote-control limit off", async () => {
    await events.stop();
    await setUp({ limitRemoteControlToAuthenticatedUsers: false });
    const { id } = await connect();
    const body = { from: id, channel: "home", selector: "css.color$#top", message: "red" };
    expect((await call("PostRawToChannel", body)).status).toBe(200);
  });

  it("caps chat text and refuses control characters, keeping nothing", async () => {
    const { id } = await connect();
    const long = await call("PostChatToChannel", {
      from: id,
      channel: "home",
      message: "x".repeat(51),
    });
    expect(await failure(long)).toBe("400 message");
    const nul = await call("PostChatToChannel", { from: id, channel: "home", message: "a\u0000b" });
    expect(await failure(nul)).toBe("400 message");
    const lone = await call("PostChatToChannel", { from: id, channel: "home", message: "a\ud800" });
    expect(await failure(lone)).toBe("400 message");
    const ok = await call("PostChatToChannel", {
      from: id,
      channel: "home",
      message: "two\nlines",
    });
    expect(ok.status).toBe(200);
    expect((await history.recent(["home"], 10)).map((m) => m.message)).toEqual(["two\nlines"]);
  });

  it("limits how many channels one sender fills with history (429 naming channel)", async () => {
    await events.stop();
    await setUp({}, {}, 3);
    const { id } = await connect("guest");
    const chat = (channel: string) =>
      call("PostChatToChannel", { from: id, channel, message: "hi" }, "guest");
    for (const channel of ["a", "b", "c", "a", "b", "c"])
      expect((await chat(channel)).status).toBe(200);
    const fourth = await chat("d");
    expect(await failure(fourth)).toBe("429 channel");
    expect(fourth.headers.get("retry-after")).toMatch(/^\d+$/u);
    expect(await history.recent(["d"], 10)).toEqual([]);
    // Channels it already writes to stay open to it, and other senders have their own budget.
    expect((await chat("a")).status).toBe(200);
    const other = await connect("alice");
    const fromAlice = { from: other.id, channel: "d", message: "hi" };
    expect((await call("PostChatToChannel", fromAlice, "alice")).status).toBe(200);
  });

  it("answers 429 with Retry-After past a subscription's publish rate", async () => {
    await events.stop();
    await setUp({}, { publishRateLimit: { perSecond: 1, burst: 2 } });
    const { id } = await connect();
    const body = { from: id, channel: "home", selector: "cmd.x", message: "1" };
    expect((await call("PostRawToChannel", body)).status).toBe(200);
    expect((await call("PostRawToChannel", body)).status).toBe(200);
    const limited = await call("PostRawToChannel", body);
    expect(await failure(limited)).toBe("429 from");
    expect(limited.headers.get("retry-after")).toBe("1");
    const other = await connect();
    expect((await call("PostRawToChannel", { ...body, from: other.id })).status).toBe(200);
  });

  it("charges each typed object of PostObjectToChannel as a message, and takes at most 10", async () => {
    await events.stop();
    await setUp({}, { publishRateLimit: { perSecond: 1, burst: 5 } });
    const { id } = await connect();
    const receiver = await connect("alice");
    const objects = (count: number) =>
      Object.fromEntries(Array.from({ length: count }, (_, i) => [`t${i}`, { i }]));
    const tooMany = await call("PostObjectToChannel", {
      from: id,
      channel: "home",
      ...objects(11),
    });
    expect(await failure(tooMany)).toBe("400 body");
    expect(
      (await call("PostObjectToChannel", { from: id, channel: "home", ...objects(3) })).status,
    ).toBe(200);
    // Three of the five tokens are spent: three more objects are two too many.
    expect(
      await failure(
        await call("PostObjectToChannel", { from: id, channel: "home", ...objects(3) }),
      ),
    ).toBe("429 from");
    const received = await receiver.frames.until((frame) => frame.selector === "cmd.T2");
    expect(received.selector).toBe("cmd.T2");
  });

  it("gives a signed-in user or a guest one publish budget across all their subscriptions", async () => {
    await events.stop();
    await setUp({}, { publishRateLimit: { perSecond: 1, burst: 2 } });
    for (const who of ["alice", "guest"]) {
      const [first, second] = [await connect(who), await connect(who)];
      const body = { channel: "home", selector: "cmd.x", message: "1" };
      expect((await call("PostRawToChannel", { ...body, from: first.id }, who)).status).toBe(200);
      expect((await call("PostRawToChannel", { ...body, from: second.id }, who)).status).toBe(200);
      const limited = await call("PostRawToChannel", { ...body, from: second.id }, who);
      expect(await failure(limited), who).toBe("429 from");
    }
  });

  it("makes guests from one address share its budget, however many cookies they mint", async () => {
    await events.stop();
    await setUp({}, { publishRateLimit: { perSecond: 1, burst: 2 } });
    const [first, second] = [await connect("guest"), await connect("guest2")];
    const body = { channel: "home", selector: "cmd.x", message: "1" };
    const from = (address: string) => ({ "x-forwarded-for": address });
    expect(
      (await call("PostRawToChannel", { ...body, from: first.id }, "guest", from("203.0.113.7")))
        .status,
    ).toBe(200);
    expect(
      (await call("PostRawToChannel", { ...body, from: second.id }, "guest2", from("203.0.113.7")))
        .status,
    ).toBe(200);
    const limited = await call(
      "PostRawToChannel",
      { ...body, from: second.id },
      "guest2",
      from("203.0.113.7"),
    );
    expect(await failure(limited)).toBe("429 from");
    // Signed-in users are not counted by address: an account cannot be minted so.
    const signedIn = await connect("alice");
    const asAlice = { ...body, from: signedIn.id };
    expect((await call("PostRawToChannel", asAlice, "alice", from("203.0.113.7"))).status).toBe(
      200,
    );
  });

  it("lets only the guest cookie that opened a subscription publish as it", async () => {
    const { id } = await connect("guest");
    const body = { from: id, channel: "home", message: "hi" };
    expect(await failure(await call("PostChatToChannel", body))).toBe("403 id");
    expect(await failure(await call("PostChatToChannel", body, "alice"))).toBe("403 id");
    expect((await call("PostChatToChannel", body, "guest")).status).toBe(200);
  });

  it("hides chat history from anonymous callers when streams are limited to signed-in users", async () => {
    await events.stop();
    await setUp({ limitToAuthenticatedUsers: true });
    expect((await call("GetChatHistory", { channels: "home" })).status).toBe(401);
    expect((await call("GetChatHistory", { channels: "home" }, "alice")).status).toBe(200);
  });

  it.each(["PostChatToChannel", "PostRawToChannel", "PostObjectToChannel"])(
    "keeps %s to a restricted channel for callers with its role",
    async (operation) => {
      await events.stop();
      await setUp({}, { restrictedChannels: { ops: "admin" } });
      const body = { channel: "ops", selector: "cmd.x", message: "hi", x: { a: 1 } };
      const mine = await connect("alice");
      const refused = await call(operation, { ...body, from: mine.id }, "alice");
      expect(await failure(refused)).toBe("403 channel");
      const admins = await connect("ada");
      expect((await call(operation, { ...body, from: admins.id }, "ada")).status).toBe(200);
    },
  );

  it("keeps a restricted channel's history for callers with its role", async () => {
    await events.stop();
    await setUp({}, { restrictedChannels: { ops: "admin" } });
    const refused = await call("GetChatHistory", { channels: "home,ops" }, "alice");
    expect(await failure(refused)).toBe("403 channels");
    expect((await call("GetChatHistory", { channels: "ops" }, "ada")).status).toBe(200);
  });
});
