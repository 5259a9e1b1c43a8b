import { describe, expect, it } from "vitest";
import { MemoryChatHistory } from "./chat-history";
import { chatMessage, itBehavesLikeChatHistory } from "./chat-history.contract";

describe("MemoryChatHistory", () => {
  itBehavesLikeChatHistory(() => new MemoryChatHistory());

  it("keeps at most perChannel messages per channel", async () => {
    const history = new MemoryChatHistory(3);
    for (let id = 1; id <= 6; id++) await history.append(chatMessage(id, "room"));
    expect((await history.recent(["room"], 10)).map((m) => m.id)).toEqual([4, 5, 6]);
  });
});
