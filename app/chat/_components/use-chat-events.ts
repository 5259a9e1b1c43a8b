"use client";

import { useCallback, useEffect, useMemo, useState } from "react";
import {
  allowedLocation,
  type Receiver,
  type ServerEventCommand,
  type ServerEventHandlers,
  type ServerEventMessage,
  typedHandlers,
} from "@/lib/server-events-client";
import { parseFrameBody } from "@/lib/browser/frame-body";
import { useSharedStream } from "@/lib/browser/use-shared-stream";
import { useQueryClient } from "@tanstack/react-query";
import {
  refetchFresh,
  refetchSoon,
  subscriberMetaSchema,
  subscribersKey,
} from "@/app/_components/presence";
import { applyPresence, historyKey, messageKey, type ChatMessage } from "./chat-api";
import { shortTextSchema, textSchema } from "./chat-messages";
import { chatCatalog } from "../_lib/chat-catalog";
import { toTvContent, type TvContent } from "./tv-content";
import type { Announced } from "./announcement";

export type LogEntry =
  | { kind: "chat"; key: string; channel: string; message: ChatMessage }
  | {
      kind: "system";
      key: string;
      channel: string | null;
      text: string;
      detail?: string;
      /** A frame anyone may have sent, shown as code so it never passes for a presence line. */
      raw?: boolean;
    };

/** A selector or raw body for a system line: anyone can send one, so it is shown cut short. */
const clip = (text: string, max = 300): string =>
  text.length > max ? `${text.slice(0, max)}…` : text;

let entryCounter = 0;
const nextKey = () => `e${++entryCounter}`;

/** A system line for a frame the chat has no handler for: its selector and raw body. */
const systemEntry = (e: ServerEventMessage, text = e.selector): LogEntry => ({
  kind: "system",
  key: nextKey(),
  channel: e.channel,
  text: clip(text, 200),
  detail: clip(e.json),
  raw: true,
});

/** `/cmd.toggle$#channels`: shows or hides the first match; an invalid selector does nothing. */
function toggleHidden(cssSelector: string | undefined): void {
  if (!cssSelector) return;
  try {
    document.querySelector(cssSelector)?.toggleAttribute("hidden");
  } catch {
    // querySelector throws on a selector that does not parse.
  }
}

/**
 * The chat's Server Events wiring: handlers for `cmd.chat`, `cmd.announce`, `cmd.toggle`,
 * presence (onJoin/onLeave/onUpdate kept in react-query's cache), receivers for `tv.*`,
 * `document.*` and `window.*`, and a `trigger.customEvent` listener — in every tab.
 */
export function useChatEvents(userKey: string, channels: string[]) {
  const queryClient = useQueryClient();
  const [entries, setEntries] = useState<LogEntry[]>([]);
  const [announcement, setAnnouncement] = useState<Announced | null>(null);
  const [tv, setTv] = useState<TvContent | null>(null);
  const add = useCallback(
    (entry: LogEntry) => setEntries((list) => [...list.slice(-499), entry]),
    [],
  );

  const presence = useCallback(
    (e: ServerEventCommand, verb: string, delta: 1 | -1 | 0) => {
      const channel = e.channel;
      const meta = parseFrameBody(subscriberMetaSchema, e);
      if (!channel || !meta) return;
      if (delta !== 0) applyPresence(queryClient, channel, meta, delta);
      // The cache was adjusted at once; a refetch then settles any race with the first load.
      refetchSoon(queryClient, subscribersKey(channel));
      add({ kind: "system", key: nextKey(), channel, text: `${meta.displayName} ${verb}` });
    },
    [queryClient, add],
  );

  // Every body is checked against its schema first: a frame that does not fit is dropped.
  // cmd.chat and cmd.announce are typed and checked by the catalog the server publishes with.
  const handlers: ServerEventHandlers = {
    ...typedHandlers(
      chatCatalog,
      {
        chat: (message, e) => {
          const channel = e.channel ?? message.channel;
          add({ kind: "chat", key: messageKey(message), channel, message });
        },
        announce: (text) => setAnnouncement({ text, key: nextKey(), fromOperators: false }),
        operatorNotice: (text) => setAnnouncement({ text, key: nextKey(), fromOperators: true }),
      },
      { onInvalid: (error) => console.warn(`[server-events] dropped ${error.message}`) },
    ),
    toggle: (_body, e) => toggleHidden(e.cssSelector),
    onJoin: (e) => presence(e, "joined", 1),
    onLeave: (e) => presence(e, "left", -1),
    onUpdate: (e) => presence(e, "changed channels", 0),
    onMessage: (e) => {
      if (e.op === "cmd" && e.target === "chat") return;
      add(systemEntry(e));
    },
  };

  const receivers = useMemo<Record<string, Receiver>>(
    () => ({
      tv: {
        watch: (_body: unknown, e: ServerEventMessage) => {
          const text = parseFrameBody(textSchema, e);
          if (text !== undefined) setTv(toTvContent(text, window.location.href));
        },
        off: () => setTv(null),
      },
      document: {
        title: (_body: unknown, e: ServerEventMessage) => {
          const title = parseFrameBody(shortTextSchema, e);
          if (title !== undefined) document.title = title;
        },
      },
      window: {
        // The dispatcher already refused other origins; resolving again keeps this receiver
        // safe on its own, should it ever be registered elsewhere.
        location: (body: unknown) => {
          const url = allowedLocation(body, undefined);
          if (url) window.location.assign(url.href);
        },
      },
    }),
    [],
  );

  const view = useSharedStream(userKey, channels, handlers, { receivers });
  const { addListener, info } = view;

  useEffect(
    () => addListener("customEvent", (e) => add(systemEntry(e, "trigger.customEvent fired"))),
    [addListener, add],
  );

  // A new subscription (first connect, or after the server restarted): reload what we missed.
  const subscriptionId = info?.id;
  useEffect(() => {
    if (!subscriptionId) return;
    void refetchFresh(queryClient, historyKey("").slice(0, 1));
    void refetchFresh(queryClient, subscribersKey("").slice(0, 1));
  }, [subscriptionId, queryClient]);

  return {
    ...view,
    entries,
    /** A message the server answered with: your private ones reach you no other way when the
     * recipient has gone (no echo is sent then). Shown once even if the echo comes too. */
    addChat: (message: ChatMessage) =>
      add({ kind: "chat", key: messageKey(message), channel: message.channel, message }),
    announcement,
    dismissAnnouncement: () => setAnnouncement(null),
    tv,
    closeTv: () => setTv(null),
  };
}
