"use client";

import { useRef } from "react";
import { avatarUrl } from "@/lib/next/avatars";
import { mentions } from "./mentions";
import { RenderBoundary } from "@/app/_components/render-boundary";
import type { LogEntry } from "./use-chat-events";
import { useStickToBottom } from "./use-stick-to-bottom";
import { withoutEchoPrefix } from "./chat-views";
import { MessageText } from "./message-text";

type Group =
  | { kind: "chat"; key: string; fromUserId: string; name: string; at: number; items: LogEntry[] }
  | { kind: "system"; key: string; entry: Extract<LogEntry, { kind: "system" }> };

const GROUP_WINDOW_MS = 5 * 60_000;

/** Consecutive messages from one person within five minutes share one header, as in Chat. */
function groupEntries(entries: readonly LogEntry[]): Group[] {
  const groups: Group[] = [];
  for (const entry of entries) {
    if (entry.kind === "system") {
      groups.push({ kind: "system", key: entry.key, entry });
      continue;
    }
    const last = groups.at(-1);
    const { message } = entry;
    if (
      last?.kind === "chat" &&
      last.fromUserId === message.fromUserId &&
      message.createdAt - last.at < GROUP_WINDOW_MS
    ) {
      last.items.push(entry);
    } else {
      groups.push({
        kind: "chat",
        key: entry.key,
        fromUserId: message.fromUserId,
        name: message.displayName,
        at: message.createdAt,
        items: [entry],
      });
    }
  }
  return groups;
}

const time = (ms: number) =>
  new Date(ms).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });

export function MessageLog({
  entries,
  myName,
  isConversation,
  emptyText,
}: {
  entries: readonly LogEntry[];
  myName: string | undefined;
  /** A direct conversation: private messages need no "private" mark or "@name:" prefix there. */
  isConversation: boolean;
  emptyText: string;
}) {
  const log = useRef<HTMLDivElement>(null);
  const { onScroll } = useStickToBottom(log, entries);
  return (
    <div
      ref={log}
      id="log"
      role="log"
      aria-label="Messages"
      // New messages are read out when the reader is idle; the log scrolls from the keyboard.
      aria-live="polite"
      aria-relevant="additions"
      tabIndex={0}
      onScroll={onScroll}
      className="min-h-0 flex-1 overflow-y-auto px-3 py-4 sm:px-5"
    >
      {entries.length === 0 && (
        <p className="mt-10 text-center text-sm text-slate-500">{emptyText}</p>
      )}
      <ul className="space-y-3">
        {groupEntries(entries).map((group) => (
          // One boundary per entry: a message that cannot render hides only itself.
          <RenderBoundary key={group.key} what="This message" as="li">
            {group.kind === "system" ? (
              <SystemEntry entry={group.entry} />
            ) : (
              <ChatGroup group={group} myName={myName} isConversation={isConversation} />
            )}
          </RenderBoundary>
        ))}
      </ul>
    </div>
  );
}

function SystemEntry({ entry }: { entry: Extract<LogEntry, { kind: "system" }> }) {
  if (!entry.raw)
    return (
      <li data-testid="system-entry" className="text-center text-xs text-slate-500">
        <span className="font-medium text-slate-600">{entry.text}</span>
      </li>
    );
  // Anyone may send one: labelled, isolated from the text around it (<bdi>) and shown as code,
  // so it never passes for the chat's own lines.
  return (
    <li data-testid="system-entry" className="text-center text-xs text-slate-500">
      <span className="mr-1.5 rounded border border-slate-300 px-1 text-[10px] tracking-wide text-slate-500 uppercase">
        frame
      </span>
      <bdi className="font-mono text-slate-600">{entry.text}</bdi>
      <code className="ml-1.5 rounded bg-slate-100 px-1 py-0.5 break-all text-slate-600">
        <bdi>{entry.detail || "(empty)"}</bdi>
      </code>
    </li>
  );
}

function ChatGroup({
  group,
  myName,
  isConversation,
}: {
  group: Extract<Group, { kind: "chat" }>;
  myName: string | undefined;
  isConversation: boolean;
}) {
  return (
    <li className="flex gap-3">
      {/* eslint-disable-next-line @next/next/no-img-element -- inline SVG avatars */}
      <img src={avatarUrl(group.name)} alt="" className="mt-0.5 size-9 rounded-full" />
      <div className="min-w-0 flex-1">
        <div className="flex items-baseline gap-2">
          <span className="font-semibold text-slate-900">{group.name}</span>
          <time className="text-xs text-slate-500">{time(group.at)}</time>
        </div>
        <ul className="space-y-0.5">
          {group.items.map((entry) => {
            if (entry.kind !== "chat") return null;
            const { message } = entry;
            const mentioned = myName !== undefined && mentions(message.message, myName);
            const showPrivate = message.private && !isConversation;
            return (
              <li
                key={entry.key}
                data-testid="chat-message"
                data-private={message.private ? "true" : undefined}
                className={`-mx-1.5 rounded-md px-1.5 py-0.5 text-slate-800 ${
                  showPrivate ? "bg-violet-50 text-violet-900" : mentioned ? "bg-amber-50" : ""
                }`}
              >
                {showPrivate && (
                  <span className="mr-1.5 text-[10px] font-semibold tracking-wide text-violet-700 uppercase">
                    private
                  </span>
                )}
                <MessageText text={isConversation ? withoutEchoPrefix(message) : message.message} />
              </li>
            );
          })}
        </ul>
      </div>
    </li>
  );
}
