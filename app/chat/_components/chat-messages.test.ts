import { afterEach, describe, expect, it, vi } from "vitest";
import { parseFrameBody, parseList } from "@/lib/browser/frame-body";
import { parseServerEventData } from "@/lib/server-events-client";
import {
  chatMessageSchema,
  MAX_MESSAGE_LENGTH,
  MAX_SHORT_TEXT_LENGTH,
  shortTextSchema,
} from "./chat-messages";
import { subscriberMetaSchema } from "@/app/_components/presence";
import { MAX_CHAT_LENGTH_CEILING } from "@/lib/chat-limits";

afterEach(() => {
  vi.restoreAllMocks();
});

const message = {
  id: 7,
  channel: "home",
  fromUserId: "-3",
  fromName: "user3",
  displayName: "user3",
  message: "hello",
  userAuthId: null,
  private: false,
  createdAt: 1_700_000_000_000,
  selector: "cmd.chat",
};

const meta = {
  userId: "-3",
  displayName: "user3",
  profileUrl: "data:image/svg+xml,%3Csvg%3E",
  channels: "home",
  isAuthenticated: "false",
  createdAt: "1700000000000",
};

const frame = (data: string) => parseServerEventData(data, 1);

describe("chat frame bodies", () => {
  it("accepts the server's cmd.chat body", () => {
    expect(chatMessageSchema.parse(message)).toEqual(message);
  });

  it("drops a /cmd.chat whose body is not a chat message, with a warning naming it", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    expect(parseFrameBody(chatMessageSchema, frame('home@cmd.chat "hi"'))).toBeUndefined();
    const missing = frame(`home@cmd.chat ${JSON.stringify({ message: "no sender" })}`);
    expect(parseFrameBody(chatMessageSchema, missing)).toBeUndefined();
    const badName = { ...message, displayName: ["not", "iterable", "as", "a", "name"] };
    expect(parseFrameBody(chatMessageSchema, frame(`cmd.chat ${JSON.stringify(badName)}`))).toBe(
      undefined,
    );
    expect(warn).toHaveBeenCalledTimes(3);
    expect(warn.mock.calls[0]?.[0]).toContain("dropped home@cmd.chat");
  });

  it("shows whole a message as long as the server may be set to take", () => {
    const text = "x".repeat(MAX_CHAT_LENGTH_CEILING);
    expect(chatMessageSchema.parse({ ...message, message: text }).message).toBe(text);
  });

  it("cuts long text instead of refusing it", () => {
    const long = chatMessageSchema.parse({ ...message, message: "x".repeat(2_000_000) });
    expect(long.message).toHaveLength(MAX_MESSAGE_LENGTH + 1);
    expect(shortTextSchema.parse("y".repeat(5_000))).toHaveLength(MAX_SHORT_TEXT_LENGTH + 1);
    expect(shortTextSchema.parse(42)).toBe("42");
    expect(shortTextSchema.safeParse({ html: "<b>" }).success).toBe(false);
  });

  it("accepts presence Meta only with an image avatar", () => {
    expect(subscriberMetaSchema.parse(meta)).toEqual(meta);
    for (const profileUrl of [
      "javascript:alert(1)",
      "data:text/html,<script>alert(1)</script>",
      "//evil.example/a.png",
    ]) {
      expect(subscriberMetaSchema.safeParse({ ...meta, profileUrl }).success, profileUrl).toBe(
        false,
      );
    }
    expect(subscriberMetaSchema.safeParse({ ...meta, displayName: undefined }).success).toBe(false);
  });

  it("keeps the good items of a history answer and drops the rest", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const items = parseList(chatMessageSchema, [message, "hi", { ...message, id: "x" }], "history");
    expect(items).toEqual([message]);
    expect(parseList(chatMessageSchema, { not: "a list" }, "history")).toEqual([]);
    expect(warn).toHaveBeenCalledTimes(2);
  });
});
