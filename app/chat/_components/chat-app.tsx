"use client";

import { useMutation } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Announcement } from "./announcement";
import { ChannelList } from "./channel-list";
import { postJson } from "@/app/_components/presence";
import { messageKey, useChannelData, type ChatMessage } from "./chat-api";
import { Composer } from "./composer";
import { ConnectionBadge } from "@/app/_components/connection-badge";
import { MessageLog } from "./message-log";
import { parseInput, type ChatCommand } from "./parse-input";
import { RenderBoundary } from "@/app/_components/render-boundary";
import { TvPanel } from "./tv-panel";
import { useMediaQuery, WIDE_SCREEN } from "@/app/_components/use-media-query";
import { useChatEvents, type LogEntry } from "./use-chat-events";
import { UserList } from "./user-list";

/** ServiceStack's Chat, in React: channels, users, history, private messages, remote control. */
export function ChatApp({
  userKey,
  initialChannels,
}: {
  userKey: string;
  initialChannels: string[];
}) {
  const [channels, setChannels] = useState(initialChannels);
  const [selected, setSelected] = useState(initialChannels[0]!);
  const [showUsers, setShowUsers] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [draft, setDraft] = useState("");
  const inputRef = useRef<HTMLInputElement>(null);
  const chat = useChatEvents(userKey, channels);
  const { historyOf, usersOf } = useChannelData(channels);
  const me = chat.info;
  const tv = chat.tv;
  // The TV sits in the side column beside the log, or on phones in a bar above it: never over it.
  const isWide = useMediaQuery(WIDE_SCREEN);

  useEffect(() => {
    const url = `/chat?channels=${channels.join(",")}`;
    if (`${location.pathname}${location.search}` !== url)
      window.history.replaceState(null, "", url);
  }, [channels]);

  const send = useMutation({
    mutationFn: ({ command, channel }: { command: ChatCommand; channel: string }) => {
      if (!me) throw new Error("Not connected yet");
      const path = `/channels/${encodeURIComponent(channel)}`;
      if (command.kind === "chat")
        return postJson<ChatMessage>(`${path}/chat`, { from: me.id, ...command, kind: undefined });
      if (command.kind === "raw")
        return postJson(`${path}/raw`, { from: me.id, ...command, kind: undefined });
      throw new Error(command.error);
    },
    onError: (e) => setError(e.message),
    onSuccess: () => setError(null),
  });

  const users = usersOf(selected);
  const onSend = (text: string) => {
    const command = parseInput(text, users, me?.userId ?? "");
    if (command.kind === "error") setError(command.error);
    else send.mutate({ command, channel: selected });
  };

  const visible = useMemo(
    () => mergeLog(historyOf(selected), chat.entries, selected),
    [historyOf, chat.entries, selected],
  );
  const unread = useUnread(chat.entries, selected);

  const join = useCallback((channel: string) => {
    setChannels((list) => (list.includes(channel) ? list : [...list, channel]));
    setSelected(channel);
  }, []);
  const leave = (channel: string) => {
    const rest = channels.filter((c) => c !== channel);
    if (rest.length === 0) return;
    setChannels(rest);
    if (selected === channel) setSelected(rest[0]!);
  };
  const mention = (name: string) => {
    const input = inputRef.current;
    if (!input) return;
    setShowUsers(false);
    setDraft(`@${name} `);
    input.focus();
  };

  return (
    <div className="flex h-[calc(100dvh-3.5rem)] flex-col">
      <div
        id="top"
        data-subscription-id={me?.id}
        className="flex items-center gap-3 border-b border-slate-200 bg-white px-4 py-2.5"
      >
        <h1 className="text-lg font-semibold">
          <span className="text-slate-400">#</span>
          {selected}
        </h1>
        <ConnectionBadge state={chat.state} />
        <span className="ml-auto hidden text-sm text-slate-500 sm:inline" data-testid="me">
          {me ? `You are ${me.displayName}` : ""}
        </span>
        <button
          type="button"
          onClick={() => setShowUsers((v) => !v)}
          className="rounded-lg border border-slate-200 px-2.5 py-1 text-sm md:hidden"
          aria-expanded={showUsers}
        >
          Users · {users.length}
        </button>
      </div>
      <Announcement announcement={chat.announcement} onDismiss={chat.dismissAnnouncement} />
      <div className="flex min-h-0 flex-1 flex-col md:flex-row">
        <aside
          id="channels"
          className="border-b border-slate-200 bg-slate-100/70 md:w-56 md:border-r md:border-b-0"
        >
          <ChannelList
            channels={channels}
            selected={selected}
            unread={unread}
            onSelect={setSelected}
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
              emptyText={`No messages in #${selected} yet. Say hello!`}
            />
          </RenderBoundary>
          <Composer
            text={draft}
            setText={setDraft}
            channel={selected}
            names={users.map((u) => u.displayName)}
            disabled={!me}
            error={error}
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
            <UserList channel={selected} users={users} myUserId={me?.userId} onMention={mention} />
          </div>
        </aside>
      </div>
    </div>
  );
}

/** History first, then live entries not already in it; private and channel-less entries always. */
function mergeLog(history: readonly ChatMessage[], live: readonly LogEntry[], channel: string) {
  const seen = new Set(history.map(messageKey));
  const entries: LogEntry[] = history.map((message) => ({
    kind: "chat",
    key: messageKey(message),
    channel: message.channel,
    message,
  }));
  for (const entry of live) {
    if (entry.kind === "chat") {
      if (seen.has(entry.key)) continue;
      if (entry.channel !== channel && !entry.message.private) continue;
      seen.add(entry.key);
    } else if (entry.channel !== null && entry.channel !== channel) continue;
    entries.push(entry);
  }
  return entries;
}

/** Chat messages that arrived in other channels since they were last selected. */
function useUnread(entries: readonly LogEntry[], selected: string) {
  const [readUpTo, setReadUpTo] = useState<Record<string, number>>({});
  // Adjusting state while rendering (not in an effect) avoids a second commit.
  if (readUpTo[selected] !== entries.length)
    setReadUpTo((marks) => ({ ...marks, [selected]: entries.length }));
  const unread: Record<string, number> = {};
  entries.forEach((entry, index) => {
    if (entry.kind !== "chat" || entry.message.private) return;
    if (index >= (readUpTo[entry.channel] ?? 0))
      unread[entry.channel] = (unread[entry.channel] ?? 0) + 1;
  });
  return unread;
}
