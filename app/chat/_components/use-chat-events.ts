"use client";

import { useCallback, useEffect, useMemo, useState } from "react";
import type { Receiver, ServerEventCommand, ServerEventHandlers } from "@/lib/server-events-client";
import { useSharedStream } from "@/lib/browser/use-shared-stream";
import {
  applyPresence,
  historyKey,
  messageKey,
  refetchFresh,
  subscribersKey,
  useQueryClient,
  type ChatMessage,
  type SubscriberMeta,
} from "./chat-api";

export type LogEntry =
  | { kind: "chat"; key: string; channel: string; message: ChatMessage }
  | { kind: "system"; key: string; channel: string | null; text: string; detail?: string };

/** A message body as text: strings as they are, anything else as JSON. */
const asText = (body: unknown): string =>
  typeof body === "string" ? body : body === null || body === undefined ? "" : JSON.stringify(body);

let entryCounter = 0;
const nextKey = () => `e${++entryCounter}`;

/** Keeps `window.location` changes to http(s) and same-site paths. */
function safeLocation(value: unknown): string | null {
  const text = typeof value === "string" ? value.trim() : "";
  if (text.startsWith("/") && !text.startsWith("//")) return text;
  return /^https?:\/\//iu.test(text) ? text : null;
}

/**
 * The chat's Server Events wiring: handlers for `cmd.chat`, `cmd.announce`, `cmd.toggle`,
 * presence (onJoin/onLeave/onUpdate kept in react-query's cache), receivers for `tv.*`,
 * `document.*` and `window.*`, and a `trigger.customEvent` listener — in every tab.
 */
export function useChatEvents(userKey: string, channels: string[]) {
  const queryClient = useQueryClient();
  const [entries, setEntries] = useState<LogEntry[]>([]);
  const [announcement, setAnnouncement] = useState<{ text: string; key: string } | null>(null);
  const [tv, setTv] = useState<string | null>(null);
  const add = useCallback(
    (entry: LogEntry) => setEntries((list) => [...list.slice(-499), entry]),
    [],
  );

  const presence = useCallback(
    (e: ServerEventCommand, verb: string, delta: 1 | -1 | 0) => {
      const channel = e.channel;
      if (!channel) return;
      const meta = e as unknown as SubscriberMeta;
      if (delta !== 0) applyPresence(queryClient, channel, meta, delta);
      // The cache was adjusted at once; a refetch then settles any race with the first load.
      void refetchFresh(queryClient, subscribersKey(channel));
      add({ kind: "system", key: nextKey(), channel, text: `${meta.displayName} ${verb}` });
    },
    [queryClient, add],
  );

  const handlers: ServerEventHandlers = {
    chat: (body, e) => {
      const message = body as ChatMessage;
      add({
        kind: "chat",
        key: messageKey(message),
        channel: e.channel ?? message.channel,
        message,
      });
    },
    announce: (body) => setAnnouncement({ text: asText(body), key: nextKey() }),
    toggle: (_body, e) => {
      const el = e.cssSelector ? document.querySelector(e.cssSelector) : null;
      el?.toggleAttribute("hidden");
    },
    onJoin: (e) => presence(e, "joined", 1),
    onLeave: (e) => presence(e, "left", -1),
    onUpdate: (e) => presence(e, "changed channels", 0),
    onMessage: (e) => {
      if (e.op === "cmd" && e.target === "chat") return;
      add({ kind: "system", key: nextKey(), channel: e.channel, text: e.selector, detail: e.json });
    },
  };

  const receivers = useMemo<Record<string, Receiver>>(
    () => ({
      tv: {
        watch: (body: unknown) => setTv(asText(body)),
        off: () => setTv(null),
      },
      document: {
        title: (body: unknown) => {
          document.title = asText(body);
        },
      },
      window: {
        location: (body: unknown) => {
          const url = safeLocation(body);
          if (url) window.location.href = url;
        },
      },
    }),
    [],
  );

  const view = useSharedStream(userKey, channels, handlers, receivers);
  const { addListener, info } = view;

  useEffect(
    () =>
      addListener("customEvent", (e) =>
        add({
          kind: "system",
          key: nextKey(),
          channel: e.channel,
          text: "trigger.customEvent fired",
          detail: e.json,
        }),
      ),
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
    announcement,
    dismissAnnouncement: () => setAnnouncement(null),
    tv,
    closeTv: () => setTv(null),
  };
}
