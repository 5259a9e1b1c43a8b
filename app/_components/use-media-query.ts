"use client";

import { useCallback, useSyncExternalStore } from "react";

/**
 * Whether `query` matches now, kept live. The server (and the first client render, so hydration
 * agrees) assumes `serverDefault`; the layout it picks must therefore be usable either way.
 */
export function useMediaQuery(query: string, serverDefault = false): boolean {
  const subscribe = useCallback(
    (onChange: () => void) => {
      const list = window.matchMedia(query);
      list.addEventListener("change", onChange);
      return () => list.removeEventListener("change", onChange);
    },
    [query],
  );
  return useSyncExternalStore(
    subscribe,
    () => window.matchMedia(query).matches,
    () => serverDefault,
  );
}

/** Tailwind's `md`: where the chat shows its user list beside the log. */
export const WIDE_SCREEN = "(min-width: 768px)";
