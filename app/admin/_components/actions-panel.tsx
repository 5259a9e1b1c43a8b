"use client";

import { useState } from "react";
import { ConfirmButton } from "./confirm-button";
import { Panel } from "./panel";

/** An announcement to one channel (the chat shows it as a banner), and the reset. */
export function ActionsPanel({
  onAnnounce,
  onReset,
  busy,
}: {
  onAnnounce: (channel: string, message: string) => void;
  onReset: () => void;
  busy: boolean;
}) {
  const [channel, setChannel] = useState("home");
  const [message, setMessage] = useState("");
  const ready = channel.trim() !== "" && message.trim() !== "";
  return (
    <Panel title="Actions">
      <div className="space-y-4 p-4">
        <div className="space-y-2">
          <h3 className="text-sm font-medium text-slate-700">Announcement</h3>
          <div className="flex flex-col gap-2 sm:flex-row">
            <label className="sr-only" htmlFor="announce-channel">
              Channel
            </label>
            <input
              id="announce-channel"
              value={channel}
              onChange={(e) => setChannel(e.target.value)}
              placeholder="channel"
              className="rounded-lg border border-slate-300 px-3 py-1.5 text-sm sm:w-32"
            />
            <label className="sr-only" htmlFor="announce-message">
              Message
            </label>
            <input
              id="announce-message"
              value={message}
              maxLength={500}
              onChange={(e) => setMessage(e.target.value)}
              placeholder="Maintenance in 5 minutes"
              className="min-w-0 flex-1 rounded-lg border border-slate-300 px-3 py-1.5 text-sm"
            />
          </div>
          <ConfirmButton
            label="Send announcement"
            question={`Announce to #${channel.trim()}?`}
            confirmLabel="Send"
            tone="primary"
            disabled={!ready || busy}
            onConfirm={() => {
              onAnnounce(channel.trim(), message.trim());
              setMessage("");
            }}
          />
        </div>
        <div className="space-y-2 border-t border-slate-100 pt-4">
          <h3 className="text-sm font-medium text-slate-700">Reset</h3>
          <p className="text-xs text-slate-500">
            Forgets every subscription and the chat history; clients reconnect on their next
            heartbeat.
          </p>
          <ConfirmButton
            label="Reset server events"
            question="Forget everyone?"
            confirmLabel="Reset"
            disabled={busy}
            onConfirm={onReset}
          />
        </div>
      </div>
    </Panel>
  );
}
