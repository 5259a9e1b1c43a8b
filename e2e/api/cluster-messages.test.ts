/**
 * Messages across two `next start` instances sharing one cluster provider, run once per provider:
 * Postgres (a throwaway database, issue 3) and Redis (a random key prefix, issue 6). The official
 * `@servicestack/client` ServerEventsClient on instance A and another on instance B see each
 * other's joins; channel messages, user-targeted messages and private chat published through
 * either instance reach the other's clients; a 1 MB message crosses; Last-Event-ID resumes on the
 * other instance with exactly the missed messages.
 *
 * Needs Postgres at PG_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres) and Redis
 * at REDIS_TEST_URL (default redis://127.0.0.1:6379): a provider whose service does not answer is
 * skipped, except with CI set, where the file fails. See support/cluster-providers.ts.
 */
import { describe, expect, it } from "vitest";
import {
  byUser,
  chatsOf,
  chatTexts,
  clusterFixture,
  clusterSuiteName,
  clusterSuites,
  uniqueChannel,
  WAIT,
} from "./support/cluster-fixture";
import { errorTexts, messagesOf, type RecordedClient } from "./support/recorder";
import type { ChatMessage } from "./support/services";
import type { SseFrame } from "./support/sse";
import { waitFor } from "./support/wait";

const reachable = await clusterSuites("e2e/api/cluster-messages.test.ts");

describe.each(reachable)(clusterSuiteName, (_name, provider) => {
  const { A, B, services, open, connectRaw } = clusterFixture(provider);

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
});
