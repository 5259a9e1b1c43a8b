"use client";

import { useEffect, useRef, useState } from "react";
import type {
  ConnectionState,
  Receiver,
  ServerEventHandlers,
  ServerEventMessage,
} from "@/lib/server-events-client";
import { getSharedEventStream } from "./browser-event-stream";
import type { SharedEventStream, StreamInfo } from "./shared-event-stream";
import { isSessionEndedElsewhere, reloadAtMostOnceAMinute } from "./session-ended-elsewhere";
import { createTabDispatcher, type TabDispatcher } from "./tab-dispatcher";

export interface SharedStreamView {
  state: ConnectionState;
  info: StreamInfo | null;
  stream: SharedEventStream | null;
  /** `trigger.{eventName}` listeners in this tab; returns the remover. */
  addListener: (eventName: string, listener: (message: ServerEventMessage) => void) => () => void;
}

export interface SharedStreamOptions {
  receivers?: Record<string, Receiver> | undefined;
  /**
   * Pages with a scope share a stream only with pages of the same scope. The operators' pages use
   * one: on the chat's stream, their channel would show in the channel list every member of the
   * chat's channels sees, and each visit to the dashboard would tell them "changed channels".
   */
  scope?: string | undefined;
}

/**
 * This tab's view of the browser-wide Server Events stream for `userKey` (the signed-in user's id,
 * or "guest"): subscribes it to `channels` and runs
 * every relayed message through `handlers` / `receivers` (css and trigger messages included).
 * The latest `handlers` are used for each message, so they may close over React state.
 */
export function useSharedStream(
  userKey: string,
  channels: string[],
  handlers: ServerEventHandlers,
  { receivers, scope }: SharedStreamOptions = {},
): SharedStreamView {
  const latest = useRef({ handlers, receivers });
  useEffect(() => {
    latest.current = { handlers, receivers };
  });
  // The dispatcher reads `latest` when a message arrives, never during render.
  // eslint-disable-next-line react-hooks/refs
  const [dispatcher] = useState<TabDispatcher>(() => createTabDispatcher(latest));
  const [stream, setStream] = useState<SharedEventStream | null>(null);
  const [snapshot, setSnapshot] = useState<{ state: ConnectionState; info: StreamInfo | null }>({
    state: "connecting",
    info: null,
  });
  const channelKey = channels.join(",");

  useEffect(() => {
    const shared = getSharedEventStream(userKey, channelKey.split(","), scope);
    // Syncing from an external store on (re)subscription, as its own listeners do afterwards.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setStream(shared);
    setSnapshot({ state: shared.state, info: shared.info });
    const offState = shared.onStateChange((s) => setSnapshot({ state: s.state, info: s.info }));
    const offMessage = shared.onMessage((message) => dispatcher.dispatch(message));
    return () => {
      offState();
      offMessage();
    };
  }, [userKey, channelKey, scope, dispatcher]);

  // Signed out elsewhere (its heartbeat refused, the stream back as a guest): show it.
  useEffect(() => {
    if (!isSessionEndedElsewhere(userKey, snapshot.info)) return;
    reloadAtMostOnceAMinute({
      storage: window.sessionStorage,
      reload: () => window.location.reload(),
      now: Date.now,
    });
  }, [userKey, snapshot.info]);

  return { ...snapshot, stream, addListener: dispatcher.addListener };
}
