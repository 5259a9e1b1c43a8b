import { describe, expect, it } from "vitest";
import { MemoryChatHistory } from "./chat-history";
import { chatMessage, itBehavesLikeChatHistory } from "./chat-history.contract";

describe("MemoryChatHistory", () => {
  itBehavesLikeChatHistory((limits) => new MemoryChatHistory(limits));

  it("stays under its byte budget, forgetting the least recently written channel's oldest first", async () => {
    const long = (id: number, channel: string) => ({
      ...chatMessage(id, channel),
      message: "字".repeat(4000),
    });
    // Room for about five such messages (8 KB of text each).
    const history = new MemoryChatHistory({}, 45_000);
    await history.append(long(1, "quiet"));
    await history.append(long(2, "quiet"));
    for (let id = 3; id <= 6; id++) await history.append(long(id, "busy"));
    expect((await history.recent(["quiet"], 10)).map((m) => m.id)).toEqual([2]);
    await history.append(long(7, "busy"));
    expect(await history.recent(["quiet"], 10)).toEqual([]);
    expect((await history.recent(["busy"], 10)).map((m) => m.id)).toEqual([3, 4, 5, 6, 7]);
  });
});
