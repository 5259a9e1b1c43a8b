import { expect, it } from "vitest";
import {
  chatMessageBytes,
  type ChatHistory,
  type ChatHistoryLimits,
  type ChatMessage,
} from "./chat-history";

export const chatMessage = (id: number, channel: string): ChatMessage => ({
  id,
  channel,
  fromUserId: "u1",
  fromName: "ada",
  displayName: "Ada",
  message: `message ${id}`,
  userAuthId: null,
  private: false,
  createdAt: 1_700_000_000_000 + id,
  selector: "cmd.chat",
});

/** What every ChatHistory must do; call it inside a provider's describe block. */
export function itBehavesLikeChatHistory(
  create: (limits?: Partial<ChatHistoryLimits>) => ChatHistory,
): void {
  it("returns the newest messages of the given channels, oldest first", async () => {
    const history = create();
    for (let id = 1; id <= 5; id++) await history.append(chatMessage(id, id % 2 ? "odd" : "even"));
    await history.append(chatMessage(6, "other"));
    expect(await history.recent(["odd", "even"], 3)).toEqual([
      chatMessage(3, "odd"),
      chatMessage(4, "even"),
      chatMessage(5, "odd"),
    ]);
    expect((await history.recent(["odd"], 10)).map((m) => m.id)).toEqual([1, 3, 5]);
    await history.clear();
    expect(await history.recent(["odd", "even", "other"], 10)).toEqual([]);
  });

  it("keeps at most perChannel messages per channel", async () => {
    const history = create({ perChannel: 3 });
    await history.clear();
    for (let id = 1; id <= 6; id++) await history.append(chatMessage(id, "room"));
    expect((await history.recent(["room"], 10)).map((m) => m.id)).toEqual([4, 5, 6]);
  });

  it("keeps at most maxChannels channels, forgetting the least recently written", async () => {
    const history = create({ maxChannels: 2 });
    await history.clear();
    await history.append(chatMessage(1, "a"));
    await history.append(chatMessage(2, "b"));
    await history.append(chatMessage(3, "a"));
    await history.append(chatMessage(4, "c"));
    expect((await history.recent(["a", "b", "c"], 10)).map((m) => m.id)).toEqual([1, 3, 4]);
  });
}

/** What a history held in memory (the process's, Redis's) must also do: keep to `maxBytes`. */
export function itKeepsToItsByteBudget(
  create: (limits?: Partial<ChatHistoryLimits>) => ChatHistory,
): void {
  const long = (id: number, channel: string): ChatMessage => ({
    ...chatMessage(id, channel),
    message: "字".repeat(4000),
  });

  it("stays under its byte budget, taking the oldest messages of the channel holding the most", async () => {
    // Room for five such messages (12 KB of UTF-8 each), not six.
    const history = create({ maxBytes: 5 * chatMessageBytes(long(1, "quiet")) + 10 });
    await history.clear();
    await history.append(long(1, "quiet"));
    await history.append(long(2, "quiet"));
    for (let id = 3; id <= 6; id++) await history.append(long(id, "busy"));
    // The sixth message went over: the busy channel, the largest, gave up its oldest.
    expect((await history.recent(["quiet"], 10)).map((m) => m.id)).toEqual([1, 2]);
    expect((await history.recent(["busy"], 10)).map((m) => m.id)).toEqual([4, 5, 6]);
    await history.append(long(7, "busy"));
    expect((await history.recent(["quiet"], 10)).map((m) => m.id)).toEqual([1, 2]);
    expect((await history.recent(["busy"], 10)).map((m) => m.id)).toEqual([5, 6, 7]);
  });

  it("no longer counts what the per-channel and channel limits forgot", async () => {
    const history = create({
      perChannel: 2,
      maxChannels: 1,
      maxBytes: 3 * chatMessageBytes(long(1, "a")) + 10,
    });
    await history.clear();
    for (let id = 1; id <= 10; id++) await history.append(long(id, "a"));
    expect((await history.recent(["a"], 10)).map((m) => m.id)).toEqual([9, 10]);
    await history.append(long(11, "b"));
    await history.append(long(12, "b"));
    expect((await history.recent(["a", "b"], 10)).map((m) => m.id)).toEqual([11, 12]);
  });
}
