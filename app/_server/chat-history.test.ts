import { describe } from "vitest";
import { MemoryChatHistory } from "./chat-history";
import { itBehavesLikeChatHistory } from "./chat-history.contract";

describe("MemoryChatHistory", () => {
  itBehavesLikeChatHistory((limits) => new MemoryChatHistory(limits));
});
