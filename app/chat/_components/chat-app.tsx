"use client";

import { useMutation } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { Announcement } from "./announcement";
import { ChannelList } from "./channel-list";
import { postJson } from "@/app/_components/presence";
import { useChannelData, type ChatMessage } from "./chat-api";
import {
  conversationKey,
  conversationsOf,
  entriesOf,
  isConversation,
  peerOf,
  type Conversation,
  type ViewKey,
} from "./chat-views";
import { Composer } from "./composer";
import { ConnectionBadge } from "@/app/_components/connection-badge";
import { DroppedChannelsNotice } from "./dropped-channels-notice";
import { MessageLog } from "./message-log";
import { parseInput, type ChatCommand } from "./parse-input";
import { RenderBoundary } from "@/app/_components/render-boundary";
import { TvPanel } from "./tv-panel";
import { useMediaQuery, WIDE_SCREEN } from "@/app/_components/use-media-query";
import { useChatEvents } from "./use-chat-events";
import { useSharedChannels } from "./use-shared-channels";
import { useUnread } from "./use-unread";
import { UserList } from "./user-list";

/** ServiceStack's Chat, in React: channels, users, history, private messages, remote control. */
export function ChatApp({
  userKey,
  initialChannels,
  droppedChannels,
}: {
  userKey: string;
  initialChannels: string[];
  /** `?channels=` values that are not channel names, to tell the reader why they are missing. */
  droppedChannels: string[];
}) {
  const { channels, join: joinShared, leave } = useSharedChannels(userKey, initialChannels);
  const [view, setView] = useState<ViewKey>(initialChannels[0]!);
  // The channel a conversation posts through, and whose people the side column lists.
  const [lastChannel, setLastChannel] = useState(initialChannels[0]!);
  const [opened, setOpened] = useState<Conversation[]>([]);
  const [showUsers, setShowUsers] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [draft, setDraft] = useState("");
  const inputRef = useRef<HTMLInputElement>(null);
  const chat = useChatEvents(userKey, channels);
  const { historyOf, usersOf } = useChannelData(channels);
  const me = chat.info;
  const myUserId = me?.userId ?? "";
  const tv = chat.tv;
  // The TV sits in the side column beside the log, or on phones in a bar above it: never over it.
  const isWide = useMediaQuery(WIDE_SCREEN);

  // Another tab left the channel shown here (tabs share their channels): show one still joined.
  const channel = channels.includes(lastChannel) ? lastChannel : channels[0]!;
  if (channel !== lastChannel) setLastChannel(channel);
  if (!isConversation(view) && view !== channel) setView(channel);

  const conversations = mergeConversations(conversationsOf(chat.entries, myUserId), opened);
  const users = usersOf(channel);
  const select = (next: ViewKey) => {
    setView(next);
    if (!isConversation(next)) setLastChannel(next);
    setError(null);
  };
  const openConversation = (conversation: Conversation) => {
    setOpened((list) => mergeConversations(list, [conversation]));
    select(conversation.key);
  };

  useUrlOf(channels);

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
      chat.addChat(message);
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

  const visible = entriesOf(
    view,
    isConversation(view) ? [] : historyOf(view),
    chat.entries,
    myUserId,
  );
  const unread = useUnread(chat.entries, view, myUserId);
  const title = isConversation(view)
    ? `@${conversations.find((c) => c.key === view)?.name ?? nameOf(peerOf(view))}`
    : `#${view}`;

  const join = (name: string) => {
    joinShared(name);
    select(name);
  };
  const mention = (name: string) => {
    setShowUsers(false);
    setDraft(`@${name} `);
    inputRef.current?.focus();
  };

  return (
    <div className="flex h-[calc(100dvh-3.5rem)] flex-col">
      <div
        id="top"
        data-subscription-id={me?.id}
        className="flex items-center gap-3 border-b border-slate-200 bg-white px-4 py-2.5"
      >
        <h1 className="truncate text-lg font-semibold">
          <span className="text-slate-500">{title[0]}</span>
          {title.slice(1)}
        </h1>
        <ConnectionBadge state={chat.state} />
        <span className="ml-auto hidden text-sm text-slate-500 sm:inline" data-testid="me">
          {me ? `You are ${me.displayName}` : ""}
        </span>
        <button
          type="button"
          onClick={() => setShowUsers((v) => !v)}
          className="ml-auto shrink-0 rounded-lg border border-slate-200 px-2.5 py-1 text-sm sm:ml-0 md:hidden"
          aria-expanded={showUsers}
          aria-controls="users"
        >
          Users · {users.length}
        </button>
      </div>
      <Announcement announcement={chat.announcement} onDismiss={chat.dismissAnnouncement} />
      <DroppedChannelsNotice dropped={droppedChannels} />
      <div className="flex min-h-0 flex-1 flex-col md:flex-row">
        <aside
          id="channels"
          className="border-b border-slate-200 bg-slate-100/70 md:w-56 md:border-r md:border-b-0"
        >
          <ChannelList
            channels={channels}
            conversations={conversations}
            selected={view}
            unread={unread}
            onSelect={select}
            onJoin={join}
            onLeave={leave}
          />
        </aside>
        <main className="flex min-h-0 min-w-0 flex-1 flex-col bg-white">
          {tv && !isWide && <TvPanel content={tv} onClose={chat.closeTv} asBar />}
          <RenderBoundary what="The message log">
            <MessageLog
              entries={visible}
              myName={me?.displayName}
              isConversation={isConversation(view)}
              emptyText={
                isConversation(view)
                  ? `No messages with ${title} yet.`
                  : `No messages in ${title} yet. Say hello!`
              }
            />
          </RenderBoundary>
          <Composer
            text={draft}
            setText={setDraft}
            target={title}
            names={users.map((u) => u.displayName)}
            disabled={!me}
            error={error}
            onDismissError={() => setError(null)}
            onSend={onSend}
            inputRef={inputRef}
          />
        </main>
        <aside
          id="users"
          className={`${showUsers ? "flex" : "hidden"} absolute inset-x-0 top-[7rem] bottom-0 z-20 flex-col bg-white md:static md:flex md:w-64 md:border-l md:border-slate-200`}
        >
          {tv && isWide && <TvPanel content={tv} onClose={chat.closeTv} asBar={false} />}
          <div className="min-h-0 flex-1">
            <UserList
              channel={channel}
              users={users}
              myUserId={me?.userId}
              onMention={mention}
              onMessage={(user) => {
                setShowUsers(false);
                openConversation({
                  key: conversationKey(user.userId),
                  peerUserId: user.userId,
                  name: user.userId === myUserId ? "me" : user.displayName,
                });
              }}
            />
          </div>
        </aside>
      </div>
    </div>
  );
}

/** Conversations with messages first, then ones opened by hand that have none yet. */
function mergeConversations(a: readonly Conversation[], b: readonly Conversation[]) {
  const keys = new Set(a.map((c) => c.key));
  return [...a, ...b.filter((c) => !keys.has(c.key))];
}

/** `/chat?channels=…` follows the joined channels, so a reload or a shared link opens them. */
function useUrlOf(channels: readonly string[]) {
  const url = `/chat?channels=${channels.join(",")}`;
  useEffect(() => {
    if (`${location.pathname}${location.search}` !== url)
      window.history.replaceState(null, "", url);
  }, [url]);
}
