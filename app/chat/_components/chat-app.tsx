"use client";

import { useEffect, useRef, useState } from "react";
import { Announcement } from "./announcement";
import { ChannelList } from "./channel-list";
import { useChannelData } from "./chat-api";
import {
  conversationKey,
  conversationsOf,
  entriesOf,
  isConversation,
  mergeConversations,
  peerOf,
  type Conversation,
  type ViewKey,
} from "./chat-views";
import { Composer } from "./composer";
import { ConnectionBadge } from "@/app/_components/connection-badge";
import { DroppedChannelsNotice } from "./dropped-channels-notice";
import { MessageLog } from "./message-log";
import { RenderBoundary } from "@/app/_components/render-boundary";
import { TvPanel } from "./tv-panel";
import { useMediaQuery, WIDE_SCREEN } from "@/app/_components/use-media-query";
import { useChatEvents } from "./use-chat-events";
import { useChatSend } from "./use-chat-send";
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

  const { onSend, nameOf } = useChatSend({
    me,
    channel,
    view,
    users,
    conversations,
    addChat: chat.addChat,
    openConversation,
    setError,
    setDraft,
  });

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

/** `/chat?channels=…` follows the joined channels, so a reload or a shared link opens them. */
function useUrlOf(channels: readonly string[]) {
  const url = `/chat?channels=${channels.join(",")}`;
  useEffect(() => {
    if (`${location.pathname}${location.search}` !== url)
      window.history.replaceState(null, "", url);
  }, [url]);
}
