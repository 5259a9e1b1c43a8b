import { describe, expect, expectTypeOf, it } from "vitest";
import { chatMessage } from "@/app/_server/chat-history.contract";
import type { ChatMessage } from "@/app/_server/chat-history";
import { typedHandlers, type TypedHandlers } from "@/lib/server-events-client";
import { parseServerEventData } from "@/lib/server-events-client/message-parser";
import {
  typedNotifier,
  validateMessage,
  type MessageInput,
  type ServerEvents,
} from "@/lib/server-events";
import { chatCatalog } from "./chat-catalog";

describe("chatCatalog", () => {
  it("takes zod's schemas as Standard Schemas, transforms included", async () => {
    const announcement = await validateMessage(chatCatalog, "cmd.announce", "x".repeat(600));
    expect(announcement).toHaveLength(501); // cut to 500 and "…", as the page shows it
    await expect(validateMessage(chatCatalog, "cmd.announce", 42)).resolves.toBe("42");
  });

  it("hands the page's chat handler a parsed ChatMessage, and drops a string body", () => {
    const received: ChatMessage[] = [];
    const refused: string[] = [];
    const handlers = typedHandlers(
      chatCatalog,
      { chat: (message) => received.push(message) },
      { onInvalid: (error) => refused.push(error.message) },
    );
    const good = parseServerEventData(`home@cmd.chat ${JSON.stringify(chatMessage(1, "home"))}`, 1);
    const bad = parseServerEventData('home@cmd.chat "hi"', 2);
    handlers.chat?.(good.body as ChatMessage, good);
    handlers.chat?.(bad.body as ChatMessage, bad);
    expect(received).toEqual([chatMessage(1, "home")]);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatch(/^home@cmd\.chat: the body does not match its schema: /);
  });

  it("types the server's message and the page's handler from the one declaration", () => {
    expectTypeOf<ChatMessage>().toExtend<MessageInput<typeof chatCatalog, "cmd.chat">>();
    expectTypeOf<Parameters<TypedHandlers<typeof chatCatalog>["chat"]>[0]>().toEqualTypeOf<{
      id: number;
      channel: string;
      fromUserId: string;
      fromName: string;
      displayName: string;
      message: string;
      userAuthId: string | null;
      private: boolean;
      createdAt: number;
      selector: string;
      toUserId?: string | undefined;
      toName?: string | undefined;
    }>();
    const typeChecks = async (events: ServerEvents) => {
      const chat = typedNotifier(events, chatCatalog);
      // @ts-expect-error a chat message is a ChatMessage, not its text
      await chat.notifyChannel("home", "cmd.chat", "hi");
      // @ts-expect-error the chat declares no cmd.shout
      await chat.notifyChannel("home", "cmd.shout", "hi");
      // @ts-expect-error an announcement's handler gets text
      typedHandlers(chatCatalog, { announce: (text: number) => text });
    };
    expectTypeOf(typeChecks).toBeFunction();
  });
});
