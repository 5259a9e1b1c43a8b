"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { z } from "zod";
import { CHANNEL_NAME_PATTERN } from "./channel-name";

const channel = z.string().regex(CHANNEL_NAME_PATTERN);

/** What chat tabs of one browser tell each other; anything else on the channel is ignored. */
const tabMessageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("join"), channel }),
  z.object({ type: z.literal("leave"), channel }),
  z.object({ type: z.literal("hello"), channels: z.array(channel).max(100) }),
  z.object({ type: z.literal("sync"), channels: z.array(channel).max(100) }),
]);
type TabMessage = z.infer<typeof tabMessageSchema>;

const union = (a: readonly string[], b: readonly string[]) => [...new Set([...a, ...b])];

/**
 * The joined channels, the same in every chat tab of this browser: a channel joined or left in
 * one tab is joined or left in the others, and a new tab brings its own channels and learns
 * theirs. (The tabs already share one stream; this keeps their lists, and so their pages, in
 * step.) `userKey` keeps tabs of different people apart.
 */
export function useSharedChannels(userKey: string, initial: readonly string[]) {
  const [channels, setChannels] = useState<string[]>(() => [...initial]);
  const bus = useRef<BroadcastChannel | null>(null);
  const latest = useRef(channels);
  useEffect(() => {
    latest.current = channels;
  }, [channels]);

  useEffect(() => {
    if (typeof BroadcastChannel !== "function") return;
    const tabs = new BroadcastChannel(`chat-channels:${userKey}`);
    bus.current = tabs;
    tabs.onmessage = (event: MessageEvent) => {
      const parsed = tabMessageSchema.safeParse(event.data);
      if (parsed.success) apply(parsed.data);
    };
    const apply = (message: TabMessage) => {
      switch (message.type) {
        case "join":
          return setChannels((list) => union(list, [message.channel]));
        case "leave":
          // Never the last one: a tab always shows some channel.
          return setChannels((list) =>
            list.length > 1 ? list.filter((c) => c !== message.channel) : list,
          );
        case "hello":
          tabs.postMessage({ type: "sync", channels: latest.current } satisfies TabMessage);
          return setChannels((list) => union(list, message.channels));
        case "sync":
          return setChannels((list) => union(list, message.channels));
      }
    };
    tabs.postMessage({ type: "hello", channels: latest.current } satisfies TabMessage);
    return () => {
      tabs.close();
      bus.current = null;
    };
  }, [userKey]);

  const join = useCallback((name: string) => {
    setChannels((list) => union(list, [name]));
    bus.current?.postMessage({ type: "join", channel: name } satisfies TabMessage);
  }, []);
  const leave = useCallback((name: string) => {
    setChannels((list) => (list.length > 1 ? list.filter((c) => c !== name) : list));
    bus.current?.postMessage({ type: "leave", channel: name } satisfies TabMessage);
  }, []);
  return { channels, join, leave };
}
