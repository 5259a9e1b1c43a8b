"use client";

import { useEffect } from "react";
import { z } from "zod";

const announcementSchema = z.object({ userKey: z.string().max(200) });

/**
 * Tabs of one browser share their cookies, so they are one person: when one tab signs in or out
 * (or becomes a guest), every other tab reloads as that person instead of carrying on as the old
 * one. Each page says who it was rendered for; a tab that hears a different answer is stale.
 */
export function SameUserInEveryTab({ userKey }: { userKey: string }) {
  useEffect(() => {
    if (typeof BroadcastChannel !== "function") return;
    const tabs = new BroadcastChannel("server-events:who");
    tabs.onmessage = (event: MessageEvent) => {
      const parsed = announcementSchema.safeParse(event.data);
      if (parsed.success && parsed.data.userKey !== userKey) window.location.reload();
    };
    tabs.postMessage({ userKey });
    return () => tabs.close();
  }, [userKey]);
  return null;
}
