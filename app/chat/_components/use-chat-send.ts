"use client";

import { useMutation } from "@tanstack/react-query";
import type { Dispatch, SetStateAction } from "react";
import type { ChannelUser } from "@/app/_components/presence";
import { postJson } from "@/app/_components/json-fetch";
import type { StreamInfo } from "@/lib/browser/shared-event-stream";
import type { ChatMessage } from "./chat-api";
import {
  conversationKey,
  isConversation,
  peerOf,
  type Conversation,
  type ViewKey,
} from "./chat-views";
import { parseInput, type ChatCommand } from "./parse-input";

interface ChatSendInit {
  /** Our subscription: nothing can be sent before it exists. */
  me: StreamInfo | null;
  /** The channel messages are posted through (a conversation's too). */
  channel: string;
  view: ViewKey;
  /** The people of `channel`, whom `@name` can address. */
  users: readonly ChannelUser[];
  conversations: readonly Conversation[];
  /** Shows the message the server answered with (see `useChatEvents`). */
  addChat: (message: ChatMessage) => void;
  openConversation: (conversation: Conversation) => void;
  setError: (error: string | null) => void;
  setDraft: Dispatch<SetStateAction<string>>;
}

/**
 * Sending what was typed: a chat message (to the channel, or privately to one person) or a raw
 * `/cmd` frame. Also `nameOf`, the name a user id is shown as, which a private message needs to
 * open its conversation.
 */
export function useChatSend({
  me,
  channel,
  view,
  users,
  conversations,
  addChat,
  openConversation,
  setError,
  setDraft,
}: ChatSendInit) {
  const myUserId = me?.userId ?? "";

  const send = useMutation({
    mutationFn: async ({ command }: { command: ChatCommand; text: string }) => {
      if (!me) throw new Error("Not connected yet");
      const path = `/channels/${encodeURIComponent(channel)}`;
      if (command.kind === "chat")
        return postJson<ChatMessage>(`${path}/chat`, { from: me.id, ...command, kind: undefined });
      if (command.kind === "raw")
        return postJson<unknown>(`${path}/raw`, { from: me.id, ...command, kind: undefined });
      throw new Error(command.error);
    },
    onError: (e, { text }) => {
      setError(e.message);
      // Refused by the server (a 403, a 429): what was typed comes back, unless more was typed.
      setDraft((current) => (current === "" ? text : current));
    },
    onSuccess: (result, { command }) => {
      setError(null);
      if (command.kind !== "chat" || command.toUserId === undefined) return;
      const message = result as ChatMessage;
      addChat(message);
      // A private message lives in its conversation: go there, so the sender sees it.
      const peer = command.toUserId;
      if (view !== conversationKey(peer))
        openConversation({ key: conversationKey(peer), peerUserId: peer, name: nameOf(peer) });
      if (peer !== myUserId && message.toName === undefined)
        setError("They are not connected now, so they will not see this message.");
    },
  });
  const nameOf = (userId: string) =>
    userId === myUserId
      ? "me"
      : (users.find((u) => u.userId === userId)?.displayName ??
        conversations.find((c) => c.peerUserId === userId)?.name ??
        userId);

  /** False when the text cannot be sent as it is (the error says why): the composer keeps it. */
  const onSend = (text: string): boolean => {
    const command = parseInput(text, users, myUserId);
    if (command.kind === "error") {
      setError(command.error);
      return false;
    }
    // In a conversation, whatever is typed goes to that person unless it names someone else.
    const toUserId = command.toUserId ?? (isConversation(view) ? peerOf(view) : undefined);
    send.mutate({ command: toUserId === undefined ? command : { ...command, toUserId }, text });
    return true;
  };

  return { onSend, nameOf };
}
