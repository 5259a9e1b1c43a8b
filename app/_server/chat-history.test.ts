import { describe } from "vitest";
import { MemoryChatHistory } from "./chat-history";
import { itBehavesLikeChatHistory, itKeepsToItsByteBudget } from "./chat-history.contract";

describe("MemoryChatHistory", () => {
  itBehavesLikeChatHistory((limits) => new MemoryChatHistory(limits));
  itKeepsToItsByteBudget((limits) => new MemoryChatHistory(limits));
});
