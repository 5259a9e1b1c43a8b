"use client";

import { useState, type FormEvent } from "react";

const channelPattern = /^[A-Za-z0-9_.:-]{1,64}$/u;

/** Joined channels (select, leave, unread counts) and a box to join any other, live. */
export function ChannelList({
  channels,
  selected,
  unread,
  onSelect,
  onJoin,
  onLeave,
}: {
  channels: readonly string[];
  selected: string;
  unread: Readonly<Record<string, number>>;
  onSelect: (channel: string) => void;
  onJoin: (channel: string) => void;
  onLeave: (channel: string) => void;
}) {
  const [name, setName] = useState("");
  const valid = channelPattern.test(name.trim().replace(/^#/u, ""));
  const join = (event: FormEvent) => {
    event.preventDefault();
    const channel = name.trim().replace(/^#/u, "");
    if (!channelPattern.test(channel)) return;
    onJoin(channel);
    setName("");
  };
  return (
    <div className="flex flex-col gap-2 p-3 md:h-full md:p-4">
      <h2 className="hidden text-xs font-semibold tracking-wider text-slate-500 uppercase md:block">
        Channels
      </h2>
      <ul
        aria-label="Channels"
        className="flex gap-1 overflow-x-auto md:flex-col md:overflow-visible"
      >
        {channels.map((channel) => (
          <li key={channel} className="group flex shrink-0 items-center">
            <button
              type="button"
              onClick={() => onSelect(channel)}
              data-testid={`channel-${channel}`}
              aria-current={channel === selected ? "true" : undefined}
              className={`flex flex-1 items-center gap-2 rounded-lg px-3 py-1.5 text-sm font-medium ${
                channel === selected
                  ? "bg-indigo-600 text-white"
                  : "text-slate-700 hover:bg-slate-200/70"
              }`}
            >
              <span className="opacity-60">#</span>
              {channel}
              {(unread[channel] ?? 0) > 0 && channel !== selected && (
                <span className="ml-auto rounded-full bg-rose-500 px-1.5 text-[11px] text-white">
                  {unread[channel]}
                </span>
              )}
            </button>
            {channels.length > 1 && (
              <button
                type="button"
                onClick={() => onLeave(channel)}
                aria-label={`Leave #${channel}`}
                className="ml-0.5 rounded px-1.5 text-slate-400 opacity-0 group-hover:opacity-100 hover:text-rose-600 focus:opacity-100"
              >
                ×
              </button>
            )}
          </li>
        ))}
      </ul>
      <form onSubmit={join} className="flex gap-1 md:mt-2">
        <input
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="Join a channel"
          aria-label="Channel to join"
          className="min-w-0 flex-1 rounded-lg border border-slate-300 bg-white px-2.5 py-1.5 text-sm outline-none focus:border-indigo-500 focus:ring-2 focus:ring-indigo-100"
        />
        <button
          type="submit"
          disabled={!valid}
          className="rounded-lg bg-slate-800 px-3 text-sm font-medium text-white disabled:opacity-40"
        >
          Join
        </button>
      </form>
    </div>
  );
}
