"use client";

import { useId, useState, type FormEvent } from "react";
import { channelNameProblem } from "./channel-name";
import type { Conversation, ViewKey } from "./chat-views";

const item = (isSelected: boolean) =>
  `flex flex-1 items-center gap-2 rounded-lg px-3 py-1.5 text-sm font-medium whitespace-nowrap ${
    isSelected ? "bg-indigo-600 text-white" : "text-slate-700 hover:bg-slate-200/70"
  }`;

function UnreadBadge({ count }: { count: number }) {
  if (count <= 0) return null;
  return (
    <span
      data-testid="unread"
      className="ml-auto rounded-full bg-rose-500 px-1.5 text-[11px] text-white"
      aria-label={`${count} unread`}
    >
      {count}
    </span>
  );
}

/**
 * Joined channels and direct conversations (select, leave, unread counts), and a box to join any
 * other channel, live, that says what is wrong with a name as it is typed.
 */
export function ChannelList({
  channels,
  conversations,
  selected,
  unread,
  onSelect,
  onJoin,
  onLeave,
}: {
  channels: readonly string[];
  conversations: readonly Conversation[];
  selected: ViewKey;
  unread: Readonly<Record<ViewKey, number>>;
  onSelect: (view: ViewKey) => void;
  onJoin: (channel: string) => void;
  onLeave: (channel: string) => void;
}) {
  const [name, setName] = useState("");
  const problemId = useId();
  const typed = name.trim();
  const problem = typed === "" ? null : channelNameProblem(typed);
  const join = (event: FormEvent) => {
    event.preventDefault();
    if (typed === "" || problem) return;
    onJoin(typed.replace(/^#/u, ""));
    setName("");
  };
  return (
    <div className="flex flex-col gap-2 p-3 md:h-full md:overflow-y-auto md:p-4">
      <h2 className="hidden text-xs font-semibold tracking-wider text-slate-600 uppercase md:block">
        Channels
      </h2>
      <div className="flex gap-1 overflow-x-auto md:flex-col md:overflow-visible">
        <ul aria-label="Channels" className="flex gap-1 md:flex-col">
          {channels.map((channel) => (
            <li key={channel} className="group flex shrink-0 items-center">
              <button
                type="button"
                onClick={() => onSelect(channel)}
                data-testid={`channel-${channel}`}
                aria-current={channel === selected ? "true" : undefined}
                className={item(channel === selected)}
              >
                <span className="opacity-60" aria-hidden>
                  #
                </span>
                {channel}
                {channel !== selected && <UnreadBadge count={unread[channel] ?? 0} />}
              </button>
              {channels.length > 1 && (
                <button
                  type="button"
                  onClick={() => onLeave(channel)}
                  aria-label={`Leave #${channel}`}
                  className="ml-0.5 rounded px-1.5 text-slate-500 group-hover:opacity-100 hover:text-rose-600 focus:opacity-100 md:opacity-0"
                >
                  ×
                </button>
              )}
            </li>
          ))}
        </ul>
        {conversations.length > 0 && (
          <>
            <h2 className="mt-3 hidden text-xs font-semibold tracking-wider text-slate-600 uppercase md:block">
              Direct messages
            </h2>
            <ul aria-label="Direct messages" className="flex gap-1 md:flex-col">
              {conversations.map((conversation) => (
                <li key={conversation.key} className="flex shrink-0">
                  <button
                    type="button"
                    onClick={() => onSelect(conversation.key)}
                    data-testid={`conversation-${conversation.name}`}
                    aria-current={conversation.key === selected ? "true" : undefined}
                    className={item(conversation.key === selected)}
                  >
                    <span className="opacity-60" aria-hidden>
                      @
                    </span>
                    {conversation.name}
                    {conversation.key !== selected && (
                      <UnreadBadge count={unread[conversation.key] ?? 0} />
                    )}
                  </button>
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
      <form onSubmit={join} className="md:mt-2" noValidate>
        <div className="flex gap-1">
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="Join a channel"
            aria-label="Channel to join"
            aria-invalid={problem !== null}
            aria-describedby={problemId}
            className="min-w-0 flex-1 rounded-lg border border-slate-300 bg-white px-2.5 py-1.5 text-sm outline-none focus:border-indigo-500 focus:ring-2 focus:ring-indigo-100 aria-invalid:border-rose-400"
          />
          <button
            type="submit"
            disabled={typed === "" || problem !== null}
            className="rounded-lg bg-slate-800 px-3 text-sm font-medium text-white disabled:opacity-40"
          >
            Join
          </button>
        </div>
        {/* Always there, so a screen reader hears each new problem (politely) as it is typed. */}
        <p id={problemId} aria-live="polite" className="text-xs text-rose-700 empty:hidden">
          {problem}
        </p>
      </form>
    </div>
  );
}
