"use client";

import { useCallback, useEffect, useLayoutEffect, useRef, type RefObject } from "react";

/** How close to the end still counts as "reading the newest" (a line and a half). */
const SLACK_PX = 48;

/**
 * Keeps a scrolling log on its newest entry while the reader is there: when entries arrive, and
 * when the log itself shrinks or grows (an error under the composer, the TV or an announcement
 * taking their place). A reader who scrolled up to read older messages is left where they are.
 */
export function useStickToBottom(
  ref: RefObject<HTMLElement | null>,
  contentVersion: unknown,
): { onScroll: () => void } {
  const isAtEnd = useRef(true);
  const toEnd = useCallback(() => {
    const element = ref.current;
    if (element && isAtEnd.current) element.scrollTop = element.scrollHeight;
  }, [ref]);

  // Before paint, so a new message never flashes above the fold first.
  useLayoutEffect(() => toEnd(), [contentVersion, toEnd]);

  useEffect(() => {
    const element = ref.current;
    if (!element || typeof ResizeObserver !== "function") return;
    const observer = new ResizeObserver(toEnd);
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref, toEnd]);

  return {
    onScroll: () => {
      const element = ref.current;
      if (!element) return;
      isAtEnd.current = element.scrollHeight - element.scrollTop - element.clientHeight <= SLACK_PX;
    },
  };
}
