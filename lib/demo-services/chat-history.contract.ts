import { expect, it } from "vitest";
import type { ChatHistory, ChatMessage } from "./chat-history";

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
export function itBehavesLikeChatHistory(create: () => ChatHistory): void {
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
}
