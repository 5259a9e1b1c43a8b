/**
 * Two `next start` instances sharing one cluster provider, run once per provider: Postgres (a
 * throwaway database, issue 3) and Redis (a random key prefix, issue 6). The official
 * `@servicestack/client` ServerEventsClient on instance A and another on instance B see each
 * other's joins, messages and leaves; listings, heartbeats, unregister and channel updates work
 * whichever instance gets the request; a killed instance's subscribers expire; a 1 MB message
 * crosses; Last-Event-ID resumes on the other instance; SIGTERM sends onLeave at once; on
 * Postgres, failed sign-ins on both instances add up to one lockout.
 *
 * Needs Postgres at PG_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres) and Redis
 * at REDIS_TEST_URL (default redis://127.0.0.1:6379): a provider whose service does not answer is
 * skipped, except with CI set, where the file fails. See support/cluster-providers.ts.
 */
import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { officialClient, type TestClient, type TestCommand } from "./support/clients";
import {
  reachableProviders,
  type ClusterBackend,
  type ClusterProvider,
} from "./support/cluster-providers";
import { randomToken, startNextServer, type NextServer } from "./support/next-server";
import { ClientPool, errorTexts, messagesOf, type RecordedClient } from "./support/recorder";
import { DemoServices, type ChatMessage } from "./support/services";
import { openSse, type SseFrame, type SseStream } from "./support/sse";
import { waitFor } from "./support/wait";

const IDLE_TIMEOUT_MS = 3_000;
const HOUSEKEEPING_INTERVAL_MS = 500;
const HEARTBEAT_INTERVAL_MS = 1_000;

/** `[name, provider]`: describe.each puts the name in the title with `%s`, unquoted. */
const reachable: [string, ClusterProvider][] = (
  await reachableProviders("e2e/api/cluster.test.ts")
).map((provider) => [provider.name, provider]);
const suiteName = "cluster: two next start instances on one %s";

/** What a test needs to wait on: generous, the machine may be loaded. */
const WAIT = { timeoutMs: 20_000 };

const uniqueChannel = (prefix: string) => `${prefix}-${randomToken(8)}`;
const chatsOf = (client: RecordedClient) =>
  messagesOf(client, "cmd.chat").map((m) => m.body as ChatMessage);
const chatTexts = (client: RecordedClient) => chatsOf(client).map((m) => m.message);
const byUser = (userId: string) => (e: TestCommand) => e.userId === userId;

/**
 * The official client's options object. It posts heartbeats to `options.heartbeatUrl`, copied
 * from the onConnect body *before* the onConnect handler runs: changing `info.heartbeatUrl` in the
 * handler has no effect on where heartbeats go, changing this does. (Its `stop()`, though, posts to
 * `info.unRegisterUrl`, the object the handler gets.)
 */
function officialOptions(client: TestClient): { heartbeatUrl?: string } {
  return (client as unknown as { options: { heartbeatUrl?: string } }).options;
}

describe.each(reachable)(suiteName, (_name, provider) => {
  const adminToken = randomToken(32);
  const pool = new ClientPool(officialClient);
  let backend: ClusterBackend | undefined;
  let a: NextServer | undefined;
  let b: NextServer | undefined;
  let generation = 0;
  /** Every HTTP request this process made (the official client's heartbeats and unregisters). */
  const requests: { method: string; url: string }[] = [];
  const originalFetch = globalThis.fetch;
  const rawStreams: SseStream[] = [];

  /** Every instance started, dead ones included, for the log check at the end. */
  const started: { name: string; server: NextServer }[] = [];

  async function startInstance(name: string): Promise<NextServer> {
    generation++;
    const server = await startNextServer({
      startupTimeoutMs: 90_000,
      env: {
        ...backend!.env,
        INSTANCE_ID: `it-${name}-${generation}-${randomToken(6)}`,
        SSE_ADMIN_TOKEN: adminToken,
        SSE_IDLE_TIMEOUT_MS: String(IDLE_TIMEOUT_MS),
        SSE_HOUSEKEEPING_INTERVAL_MS: String(HOUSEKEEPING_INTERVAL_MS),
        SSE_HEARTBEAT_INTERVAL_MS: String(HEARTBEAT_INTERVAL_MS),
      },
    });
    started.push({ name: `${name}#${generation}`, server });
    return server;
  }

  const A = () => a!;
  const B = () => b!;
  const services = (server: NextServer) => new DemoServices(server.baseUrl, adminToken);

  /** B is killed by some tests: the next one gets a fresh process (and instance id). */
  async function ensureB(): Promise<NextServer> {
    if (!b || b.hasExited()) b = await startInstance("B");
    return b;
  }

  function open(
    server: NextServer,
    channels: string[],
    options: Omit<Parameters<ClientPool["create"]>[0], "baseUrl" | "channels"> = {},
  ): RecordedClient {
    return pool.create({ baseUrl: server.baseUrl, channels, ...options });
  }

  async function listing(server: NextServer, channel: string): Promise<Record<string, string>[]> {
    const response = await fetch(
      `${server.baseUrl}/event-subscribers?channels=${encodeURIComponent(channel)}`,
    );
    expect(response.status).toBe(200);
    return (await response.json()) as Record<string, string>[];
  }

  const listedUserIds = async (server: NextServer, channel: string) =>
    (await listing(server, channel)).map((meta) => meta.userId).sort();

  async function waitForListing(channel: string, userIds: string[]): Promise<void> {
    const expected = [...userIds].sort();
    for (const server of [A(), B()])
      await waitFor(
        async () =>
          JSON.stringify(await listedUserIds(server, channel)) === JSON.stringify(expected),
        {
          ...WAIT,
          message: () =>
            `/event-subscribers?channels=${channel} on ${server.baseUrl} = ${expected.join(",")}`,
        },
      );
  }

  async function connectRaw(
    server: NextServer,
    query: string,
    headers: Record<string, string> = {},
  ): Promise<{ stream: SseStream; connect: Record<string, string> }> {
    const stream = await openSse(`${server.baseUrl}/event-stream${query}`, headers);
    rawStreams.push(stream);
    expect(stream.response.status).toBe(200);
    const first = await stream.next(WAIT.timeoutMs);
    expect(first.selector).toBe("cmd.onConnect");
    return { stream, connect: JSON.parse(first.json) as Record<string, string> };
  }

  beforeAll(async () => {
    backend = await provider.setup();
    globalThis.fetch = (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      const method = init?.method ?? (input instanceof Request ? input.method : "GET");
      requests.push({ method, url });
      return originalFetch(input, init);
    };
    // Both at once: the start-up migration must be safe when instances start together.
    [a, b] = await Promise.all([startInstance("A"), startInstance("B")]);
  });

  beforeEach(async (context) => {
    await ensureB();
    context.onTestFailed(() => {
      for (const [name, server] of [
        ["A", a],
        ["B", b],
      ] as const)
        console.error(`--- instance ${name} output (tail) ---\n${server?.output().slice(-3000)}`);
    });
  });

  afterEach(async () => {
    for (const stream of rawStreams.splice(0)) stream.close();
    await pool.stopAll();
  });

  afterAll(async () => {
    globalThis.fetch = originalFetch;
    await Promise.all([a?.stop(), b?.stop()]);
    await backend?.teardown();
    // No instance reported a background error (the provider's default onError writes
    // "[server-events] …"), a 5xx ("request failed"), an "unexpected error" or an unhandled one.
    const problems = started.flatMap(({ name, server }) =>
      server
        .output()
        .split("\n")
        .filter((line) =>
          /\[server-events\]|"level":(?:50|60)|unexpected error|unhandled/iu.test(line),
        )
        .map((line) => `${name}: ${line.slice(0, 500)}`),
    );
    expect(problems).toEqual([]);
  });

  it("clients on A and B see each other's joins, with distinct users", async () => {
    const channel = uniqueChannel("joins");
    const onA = open(A(), [channel]);
    const infoA = await onA.connected();
    const onB = open(B(), [channel]);
    const infoB = await onB.connected();
    // Anonymous ids come from a cluster-wide sequence: no two instances hand out the same one.
    expect(infoB.userId).not.toBe(infoA.userId);
    expect(infoB.displayName).not.toBe(infoA.displayName);
    expect(infoA.heartbeatUrl.startsWith(A().baseUrl)).toBe(true);
    expect(infoB.heartbeatUrl.startsWith(B().baseUrl)).toBe(true);

    await waitFor(() => onA.joins.find(byUser(infoB.userId)), {
      ...WAIT,
      message: "A's client to get B's client's onJoin",
    });
    const join = onA.joins.find(byUser(infoB.userId))!;
    expect(join.channel).toBe(channel);
    expect(join.displayName).toBe(infoB.displayName);

    // And the other way round: a later client on A joins, the one on B sees it.
    const onA2 = open(A(), [channel]);
    const infoA2 = await onA2.connected();
    await waitFor(() => onB.joins.find(byUser(infoA2.userId)), {
      ...WAIT,
      message: "B's client to get the second A client's onJoin",
    });
    expect(onB.joins.find(byUser(infoA2.userId))!.channel).toBe(channel);
    expect([...errorTexts(onA), ...errorTexts(onB), ...errorTexts(onA2)]).toEqual([]);
  });

  it("channel messages published through either instance reach both", async () => {
    const channel = uniqueChannel("chat");
    const onA = open(A(), [channel]);
    const onB = open(B(), [channel]);
    const [infoA, infoB] = await Promise.all([onA.connected(), onB.connected()]);

    await services(A()).postChat(infoA.id, "1 via A from A", channel);
    await services(B()).postChat(infoB.id, "2 via B from B", channel);
    // The sender's subscription lives on the other instance: found through the store.
    await services(B()).postChat(infoA.id, "3 via B from A", channel);
    const expected = ["1 via A from A", "2 via B from B", "3 via B from A"];
    for (const client of [onA, onB])
      await waitFor(() => chatTexts(client).length >= 3, {
        ...WAIT,
        message: () => `3 chats, got ${JSON.stringify(chatTexts(client))}`,
      });
    expect(chatTexts(onA)).toEqual(expected);
    expect(chatTexts(onB)).toEqual(expected);
    const third = chatsOf(onB)[2]!;
    expect(third.fromUserId).toBe(infoA.userId);
    expect(third.fromName).toBe(infoA.displayName);
    // One id sequence for the cluster: both saw the same, increasing event ids.
    const ids = (client: RecordedClient) => messagesOf(client, "cmd.chat").map((m) => m.eventId);
    expect(ids(onA)).toEqual(ids(onB));
    expect(ids(onA)).toEqual([...ids(onA)].sort((x, y) => x - y));
    const chatIds = chatsOf(onA).map((m) => m.id);
    expect(new Set(chatIds).size).toBe(3);
    expect([...errorTexts(onA), ...errorTexts(onB)]).toEqual([]);
  });

  it("user-targeted messages and private chat cross instances", async () => {
    const channel = uniqueChannel("private");
    const onA = open(A(), [channel]);
    const onB = open(B(), [channel]);
    const bystander = open(B(), [channel]);
    const [infoA, infoB] = await Promise.all([
      onA.connected(),
      onB.connected(),
      bystander.connected(),
    ]);

    // A → B's user, published on A: B's client gets it, A's client gets the "@name: …" echo.
    const sent = await services(A()).postChatToUser(infoA.id, infoB.userId, "psst B", channel);
    expect(sent.private).toBe(true);
    await waitFor(() => chatTexts(onB).includes("psst B"), {
      ...WAIT,
      message: () => `B's client to get the private chat, got ${JSON.stringify(chatTexts(onB))}`,
    });
    await waitFor(() => chatTexts(onA).includes(`@${infoB.displayName}: psst B`), {
      ...WAIT,
      message: () => `A's client to get the echo, got ${JSON.stringify(chatTexts(onA))}`,
    });
    const received = chatsOf(onB).find((m) => m.message === "psst B")!;
    expect(received.private).toBe(true);
    expect(received.fromUserId).toBe(infoA.userId);

    // B → A's user, published on B.
    await services(B()).postChatToUser(infoB.id, infoA.userId, "psst A", channel);
    await waitFor(() => chatTexts(onA).includes("psst A"), {
      ...WAIT,
      message: () => `A's client to get the private chat, got ${JSON.stringify(chatTexts(onA))}`,
    });
    await waitFor(() => chatTexts(onB).includes(`@${infoA.displayName}: psst A`), {
      ...WAIT,
      message: () => `B's client to get the echo, got ${JSON.stringify(chatTexts(onB))}`,
    });

    // A raw message to A's user, published on B (sender on B).
    await services(B()).postRaw(infoB.id, "cmd.announce", "for A only", channel, infoA.userId);
    await waitFor(() => messagesOf(onA, "cmd.announce").length > 0, {
      ...WAIT,
      message: "A's client to get the user-targeted cmd.announce",
    });
    expect(messagesOf(onA, "cmd.announce")[0]!.body).toBe("for A only");

    // A channel message after all of them: once everyone has it, nothing else is on its way.
    await services(A()).postChat(infoA.id, "sentinel", channel);
    for (const client of [onA, onB, bystander])
      await waitFor(() => chatTexts(client).includes("sentinel"), {
        ...WAIT,
        message: "the sentinel",
      });
    expect(chatTexts(onA)).toEqual([`@${infoB.displayName}: psst B`, "psst A", "sentinel"]);
    expect(chatTexts(onB)).toEqual(["psst B", `@${infoA.displayName}: psst A`, "sentinel"]);
    expect(chatTexts(bystander)).toEqual(["sentinel"]);
    expect(messagesOf(onB, "cmd.announce")).toEqual([]);
    expect(messagesOf(bystander, "cmd.announce")).toEqual([]);
    expect(messagesOf(onA, "cmd.announce")).toHaveLength(1);
  });

  it("/event-subscribers and the client's getChannelSubscribers list both, on either instance", async () => {
    const channel = uniqueChannel("list");
    const onA = open(A(), [channel]);
    const onB = open(B(), [channel]);
    const [infoA, infoB] = await Promise.all([onA.connected(), onB.connected()]);
    const both = [infoA.userId, infoB.userId].sort();
    await waitForListing(channel, both);
    for (const server of [A(), B()]) {
      const metas = await listing(server, channel);
      expect(metas.map((m) => m.displayName).sort()).toEqual(
        [infoA.displayName, infoB.displayName].sort(),
      );
      for (const meta of metas) expect(meta.channels).toBe(channel);
      expect(JSON.stringify(metas)).not.toMatch(/"id"/u);
      const all = (await (await fetch(`${server.baseUrl}/event-subscribers`)).json()) as {
        userId: string;
      }[];
      expect(all.map((m) => m.userId)).toEqual(expect.arrayContaining(both));
      const viaApi = await services(server).getEventSubscribers([channel]);
      expect(viaApi.map((m) => m.userId).sort()).toEqual(both);
    }
    // The official client asks its own instance; each sees both.
    for (const client of [onA, onB]) {
      const users = await client.client.getChannelSubscribers();
      expect(users.map((u) => u.userId).sort()).toEqual(both);
      for (const user of users) expect(user.channels).toEqual([channel]);
    }
  });

  it("a client on A whose heartbeats go to B stays alive past several idle timeouts", async () => {
    const channel = uniqueChannel("pulse");
    const observer = open(B(), [channel]);
    await observer.connected();

    const client = open(A(), [channel], {
      handlers: {
        onConnect: (info) => {
          info.heartbeatUrl = info.heartbeatUrl.replace(A().baseUrl, B().baseUrl);
          // The official client posts to `options.heartbeatUrl` (Object.assign'd from the
          // onConnect body *before* the handler runs), not to the info object it hands us.
          officialOptions(client.client).heartbeatUrl = info.heartbeatUrl;
        },
      },
    });
    const info = await client.connected();
    expect(info.heartbeatIntervalMs).toBe(HEARTBEAT_INTERVAL_MS);
    expect(info.idleTimeoutMs).toBe(IDLE_TIMEOUT_MS);
    const heartbeatsTo = (server: NextServer) =>
      requests.filter(
        (r) =>
          r.url.startsWith(`${server.baseUrl}/event-heartbeat`) &&
          new URL(r.url).searchParams.get("id") === info.id,
      ).length;

    // A control on A that sends no heartbeat at all: it must expire meanwhile.
    const control = await connectRaw(A(), `?channels=${channel}`);
    await waitFor(() => observer.joins.find(byUser(control.connect.userId!)), WAIT);

    const started = Date.now();
    const span = 3 * IDLE_TIMEOUT_MS + 2 * HOUSEKEEPING_INTERVAL_MS;
    await waitFor(() => Date.now() - started >= span, {
      timeoutMs: span + 5_000,
      message: "several idle timeouts to pass",
    });
    await waitFor(() => observer.leaves.find(byUser(control.connect.userId!)), {
      ...WAIT,
      message: "the heartbeat-less control subscription to expire",
    });

    expect(heartbeatsTo(A())).toBe(0);
    expect(heartbeatsTo(B())).toBeGreaterThanOrEqual(5);
    // B forwarded each pulse to A, which wrote cmd.onHeartbeat to the stream.
    expect(client.heartbeats.length).toBeGreaterThanOrEqual(5);
    expect(client.heartbeats[0]!.userId).toBe(info.userId);
    expect(client.connects).toHaveLength(1);
    expect(errorTexts(client)).toEqual([]);
    expect(observer.leaves.filter(byUser(info.userId))).toEqual([]);
    await waitForListing(channel, [info.userId, observer.info().userId]);

    // Still delivering.
    await services(B()).postChat(observer.info().id, "still there?", channel);
    await waitFor(() => chatTexts(client).includes("still there?"), WAIT);
  });

  it("unregister and channel updates work through the other instance", async () => {
    const home = uniqueChannel("home");
    const extra = uniqueChannel("extra");
    const observer = open(B(), [home, extra]);
    const observerInfo = await observer.connected();

    const client = open(A(), [home], {
      handlers: {
        onConnect: (info) => {
          // The official client's stop() posts to the info object's unRegisterUrl.
          info.unRegisterUrl = info.unRegisterUrl.replace(A().baseUrl, B().baseUrl);
        },
      },
    });
    const info = await client.connected();
    await waitFor(() => observer.joins.find(byUser(info.userId)), WAIT);

    // Subscribe through B to a channel: the change is applied on A, which holds the stream.
    const update = (body: Record<string, string[]>) =>
      fetch(`${B().baseUrl}/event-subscribers/${encodeURIComponent(info.id)}`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
    const subscribed = await update({ subscribeChannels: [extra] });
    expect(subscribed.status).toBe(200);
    await subscribed.body?.cancel();
    await waitForListing(extra, [info.userId, observerInfo.userId]);
    await waitFor(
      () => observer.updates.find((e) => e.userId === info.userId && e.channel === extra),
      { ...WAIT, message: "the onUpdate on the new channel" },
    );
    expect(observer.updates.find((e) => e.userId === info.userId)!.channels).toBe(
      `${home},${extra}`,
    );
    await services(B()).postChat(observerInfo.id, "to extra", extra);
    await waitFor(() => chatTexts(client).includes("to extra"), {
      ...WAIT,
      message: "the client on A to get a message on the channel added through B",
    });

    // Unsubscribe through B.
    const unsubscribed = await update({ unsubscribeChannels: [home] });
    expect(unsubscribed.status).toBe(200);
    await unsubscribed.body?.cancel();
    await waitForListing(home, [observerInfo.userId]);
    await services(B()).postChat(observerInfo.id, "to home", home);
    await services(B()).postChat(observerInfo.id, "extra sentinel", extra);
    await waitFor(() => chatTexts(client).includes("extra sentinel"), WAIT);
    expect(chatTexts(client)).toEqual(["to extra", "extra sentinel"]);

    // Unregister through B (the client's own stop()): onLeave reaches B, both listings drop it.
    await client.client.stop();
    const unregisters = requests.filter(
      (r) =>
        new URL(r.url).pathname === "/event-unregister" &&
        new URL(r.url).searchParams.get("id") === info.id,
    );
    expect(unregisters.map((r) => new URL(r.url).origin)).toEqual([B().baseUrl]);
    expect(errorTexts(client)).toEqual([]);
    await waitFor(() => observer.leaves.find(byUser(info.userId)), {
      ...WAIT,
      message: "onLeave of the client unregistered through B",
    });
    expect(observer.leaves.find(byUser(info.userId))!.channel).toBe(extra);
    await waitForListing(extra, [observerInfo.userId]);

    // A raw stream on A unregistered through B: A ends the stream.
    const raw = await connectRaw(A(), `?channels=${home}`);
    await waitFor(() => observer.joins.find(byUser(raw.connect.userId!)), WAIT);
    const response = await fetch(
      `${B().baseUrl}/event-unregister?id=${encodeURIComponent(raw.connect.id!)}`,
      { method: "POST" },
    );
    expect(response.status).toBe(200);
    expect(((await response.json()) as Record<string, string>).userId).toBe(raw.connect.userId);
    await Promise.race([
      raw.stream.ended,
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error("A did not end the unregistered stream")), 20_000),
      ),
    ]);
    await waitFor(() => observer.leaves.find(byUser(raw.connect.userId!)), WAIT);
    // Unregistering again, through either instance, finds nothing.
    for (const server of [A(), B()]) {
      const again = await fetch(
        `${server.baseUrl}/event-unregister?id=${encodeURIComponent(raw.connect.id!)}`,
        { method: "POST" },
      );
      expect(again.status).toBe(404);
      await again.body?.cancel();
    }
  });

  it("a 1 MB message published on A arrives intact on B (and one just over NOTIFY's 8000 bytes)", async () => {
    const channel = uniqueChannel("big");
    const sender = open(A(), [channel]);
    const receiver = open(B(), [channel]);
    const [senderInfo] = await Promise.all([sender.connected(), receiver.connected()]);

    // 3000 characters but 9000 bytes in UTF-8: too big for NOTIFY when measured in bytes.
    const euros = "€".repeat(3_000);
    // 1 MiB of characters, multi-byte ones and JSON escapes among them.
    const unit = 'abcdefghij0123456789 é€😀 "quoted" \\ back\nslash\t';
    const big = unit.repeat(Math.ceil(1_048_576 / unit.length)).slice(0, 1_048_576);
    await services(A()).postRaw(senderInfo.id, "cmd.euros", euros, channel);
    await services(A()).postRaw(senderInfo.id, "cmd.big", big, channel);
    await services(A()).postChat(senderInfo.id, "after the big one", channel);

    await waitFor(() => chatTexts(receiver).includes("after the big one"), {
      timeoutMs: 30_000,
      message: "the chat sent after the 1 MB message",
    });
    const bigOnes = messagesOf(receiver, "cmd.big");
    expect(bigOnes).toHaveLength(1);
    const body = bigOnes[0]!.body as string;
    expect(typeof body).toBe("string");
    expect(body.length).toBe(big.length);
    expect(body === big).toBe(true);
    const euroOnes = messagesOf(receiver, "cmd.euros");
    expect(euroOnes).toHaveLength(1);
    expect(euroOnes[0]!.body === euros).toBe(true);
    // In publish order.
    expect(receiver.messages.map((m) => m.selector)).toEqual(["cmd.euros", "cmd.big", "cmd.chat"]);
    // The sender on A got its own copy too.
    await waitFor(() => chatTexts(sender).includes("after the big one"), WAIT);
    expect((messagesOf(sender, "cmd.big")[0]?.body as string | undefined) === big).toBe(true);
  });

  it("resumes with Last-Event-ID on the other instance: exactly the missed messages", async () => {
    const channel = uniqueChannel("resume");
    const sender = await connectRaw(A(), `?channels=${uniqueChannel("sender")}`);
    const senderId = sender.connect.id!;
    // Joined before `first`, so nothing of it is replayed; it sees first's onLeave go out.
    const observer = await connectRaw(B(), `?channels=${channel}`);
    await observer.stream.until(`${channel}@cmd.onJoin`, WAIT.timeoutMs);
    const first = await connectRaw(A(), `?channels=${channel}`);
    const join = await first.stream.next(WAIT.timeoutMs);
    expect(join.selector).toBe(`${channel}@cmd.onJoin`);
    const lastEventId = join.id!;
    expect(Number(lastEventId)).toBeGreaterThan(0);
    first.stream.close();
    // The onLeave is published, not just the subscription gone from the listing: the missed
    // messages below come after it in the log.
    await observer.stream.until(`${channel}@cmd.onLeave`, WAIT.timeoutMs);

    const missed = ["missed 1 via A", "missed 2 via B", "missed 3 via A"];
    await services(A()).postChat(senderId, missed[0]!, channel);
    await services(B()).postChat(senderId, missed[1]!, channel);
    await services(A()).postChat(senderId, missed[2]!, channel);

    const resumed = await connectRaw(B(), `?channels=${channel}`, {
      "Last-Event-ID": lastEventId,
    });
    expect(resumed.connect.recovered).toBe("true");
    await services(A()).postChat(senderId, "live via A", channel);

    const isChat = (f: SseFrame) => f.selector === `${channel}@cmd.chat`;
    const frames: SseFrame[] = [];
    while (frames.filter(isChat).length < 4) frames.push(await resumed.stream.next(20_000));
    const chats = frames.filter(isChat);
    const text = (f: SseFrame) => (JSON.parse(f.json) as ChatMessage).message;
    expect(chats.map(text)).toEqual([...missed, "live via A"]);
    // The replay comes before the new subscription's own onJoin: the old one's onLeave, the 3 chats.
    // The live chat may come before or after that onJoin: the join goes out once the subscription
    // is stored, a moment after its onConnect, and the live chat was sent on that onConnect.
    if (!frames.some((f) => f.selector === `${channel}@cmd.onJoin`))
      frames.push(...(await resumed.stream.until(`${channel}@cmd.onJoin`, 20_000)));
    const ownJoin = frames.findIndex((f) => f.selector === `${channel}@cmd.onJoin`);
    const beforeJoin = frames
      .slice(0, ownJoin)
      .filter((f) => !(isChat(f) && text(f) === "live via A"));
    expect(beforeJoin.map((f) => f.selector)).toEqual([
      `${channel}@cmd.onLeave`,
      `${channel}@cmd.chat`,
      `${channel}@cmd.chat`,
      `${channel}@cmd.chat`,
    ]);
    expect(beforeJoin.filter(isChat).map(text)).toEqual(missed);
    const ids = chats.map((f) => Number(f.id));
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    expect(new Set(ids).size).toBe(4);
    expect(ids[0]).toBeGreaterThan(Number(lastEventId));
  });

  /** One wrong password through Auth.js's credentials endpoint, as a script would send it. */
  async function guessPassword(server: NextServer, name: string, address: string) {
    const csrf = await fetch(`${server.baseUrl}/api/auth/csrf`);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const cookie = csrf.headers
      .getSetCookie()
      .map((value) => value.split(";")[0])
      .join("; ");
    return fetch(`${server.baseUrl}/api/auth/callback/credentials`, {
      method: "POST",
      headers: {
        cookie,
        "content-type": "application/x-www-form-urlencoded",
        "x-forwarded-for": address,
      },
      body: new URLSearchParams({ name, password: `wrong-${randomToken(6)}`, csrfToken }),
      redirect: "manual",
    });
  }

  // Accounts are shared through Postgres (DATABASE_URL); the Redis suite's instances each keep
  // their own embedded user database, so there is no shared name to lock.
  it.runIf(provider.name === "Postgres")(
    "ten wrong passwords spread over both instances lock the name on both",
    async () => {
      const name = `guess${randomBytes(4).toString("hex")}`;
      // Each guess from its own address (2001:db8::/32, documentation), so only the name's count
      // can reach ten, and no other test's address is locked.
      const run = randomBytes(2).toString("hex");
      const addressOf = (i: number) => `2001:db8:${run}:${i}::1`;
      for (let i = 0; i < 10; i++) {
        const answer = await guessPassword(i % 2 ? A() : B(), name, addressOf(i));
        expect(answer.status, `guess ${i + 1}`).not.toBe(429);
      }
      for (const server of [A(), B()]) {
        const refused = await guessPassword(server, name, addressOf(10));
        expect(refused.status).toBe(429);
        expect(refused.headers.get("retry-after")).toMatch(/^\d+$/u);
      }
    },
  );

  it("SIGTERM of B: its subscribers' onLeave reaches A at once", async () => {
    const channel = uniqueChannel("sigterm");
    const observer = open(A(), [channel]);
    await observer.connected();
    const leaving = open(B(), [channel]);
    const info = await leaving.connected();
    await waitFor(() => observer.joins.find(byUser(info.userId)), WAIT);

    // A heartbeat through A writes the subscription's pulse to the store now: expiry could not
    // send the onLeave before IDLE_TIMEOUT_MS + one sweep from here, so an earlier onLeave is the
    // shutdown's.
    const pulse = await fetch(`${A().baseUrl}/event-heartbeat?id=${encodeURIComponent(info.id)}`, {
      method: "POST",
    });
    expect(pulse.status).toBe(200);
    await pulse.body?.cancel();
    const started = Date.now();
    const server = B();
    // Not awaited first: the process's exit, and its proxy's (nginx waits up to 3 s for the
    // client's reconnect attempts to finish), are not what a user waits for.
    const killed = server.kill("SIGTERM");
    let elapsed: number;
    try {
      await waitFor(() => observer.leaves.find(byUser(info.userId)), {
        ...WAIT,
        message: "onLeave of B's subscriber after SIGTERM",
      });
      elapsed = Date.now() - started;
    } finally {
      await killed;
    }
    expect(elapsed, "ms from SIGTERM to onLeave").toBeLessThan(IDLE_TIMEOUT_MS);
    expect(observer.leaves.find(byUser(info.userId))!.channel).toBe(channel);
    expect(await listedUserIds(A(), channel)).toEqual([observer.info().userId]);
    expect(await backend!.subscriptionStored(info.id)).toBe(false);
    expect(server.output()).not.toMatch(/shutdown failed/u);
  });

  it("kill -9 of B: A sends its subscribers' onLeave within the idle timeout", async () => {
    const channel = uniqueChannel("sigkill");
    const observer = open(A(), [channel]);
    await observer.connected();
    const doomed = open(B(), [channel]);
    const info = await doomed.connected();
    await waitFor(() => observer.joins.find(byUser(info.userId)), WAIT);
    // Alive on heartbeats for a while first (its pulse in the store is kept fresh by B).
    await waitFor(() => doomed.heartbeats.length >= 2, WAIT);

    const started = Date.now();
    await B().kill("SIGKILL");
    await waitFor(() => observer.leaves.find(byUser(info.userId)), {
      timeoutMs: 30_000,
      message: "onLeave of the killed instance's subscriber",
    });
    const elapsed = Date.now() - started;
    // Expired once idle for IDLE_TIMEOUT_MS (plus one sweep of grace) since its last pulse, by
    // A's next sweep; the slack is for a loaded machine.
    expect(elapsed, "ms from SIGKILL to onLeave").toBeLessThan(
      IDLE_TIMEOUT_MS + 4 * HOUSEKEEPING_INTERVAL_MS + 3_000,
    );
    expect(observer.leaves.find(byUser(info.userId))!.channel).toBe(channel);
    expect(await listedUserIds(A(), channel)).toEqual([observer.info().userId]);
    // Gone from the shared store too (the Postgres row; the Redis hash and pulse-set entry).
    expect(await backend!.subscriptionStored(info.id)).toBe(false);
    expect(observer.leaves.filter(byUser(info.userId))).toHaveLength(1);
  });

  it("kill -9 of B: a subscriber whose heartbeats land on A expires all the same", async () => {
    const channel = uniqueChannel("zombie");
    const observer = open(A(), [channel]);
    await observer.connected();
    const doomed = open(B(), [channel], {
      handlers: {
        onConnect: (info) => {
          // Behind a load balancer the heartbeats may land on any instance.
          officialOptions(doomed.client).heartbeatUrl = info.heartbeatUrl.replace(
            B().baseUrl,
            A().baseUrl,
          );
        },
      },
    });
    const info = await doomed.connected();
    await waitFor(() => observer.joins.find(byUser(info.userId)), WAIT);
    await waitFor(() => doomed.heartbeats.length >= 2, WAIT);

    const started = Date.now();
    await B().kill("SIGKILL");
    await waitFor(() => observer.leaves.find(byUser(info.userId)), {
      timeoutMs: 30_000,
      message: () =>
        `onLeave of the killed instance's subscriber (heartbeats to A since: ${
          requests.filter((r) => r.url.includes(`/event-heartbeat?id=${info.id}`)).length
        })`,
    });
    const elapsed = Date.now() - started;
    expect(elapsed, "ms from SIGKILL to onLeave").toBeLessThan(
      IDLE_TIMEOUT_MS + 4 * HOUSEKEEPING_INTERVAL_MS + 3_000,
    );
    expect(await listedUserIds(A(), channel)).toEqual([observer.info().userId]);
    expect(await backend!.subscriptionStored(info.id)).toBe(false);
  });
});
