"use client";

import { useId, useLayoutEffect, useRef, useState } from "react";

/**
 * A message's text, cut to a few lines with "Show more" when it is longer, so one wall of text
 * cannot push the conversation off the screen. Whether it is longer is measured, not guessed
 * from its length: a narrow phone wraps a short message into many lines.
 */
export function MessageText({ text }: { text: string }) {
  const [isExpanded, setExpanded] = useState(false);
  const [isLong, setLong] = useState(false);
  const paragraph = useRef<HTMLParagraphElement>(null);
  const id = useId();

  useLayoutEffect(() => {
    const element = paragraph.current;
    if (!element || isExpanded) return;
    const measure = () => setLong(element.scrollHeight > element.clientHeight + 1);
    measure();
    if (typeof ResizeObserver !== "function") return;
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [text, isExpanded]);

  return (
    <>
      {/* Collapsed: 5 lines (`line-clamp-5`; Tailwind needs static class names). */}
      <p
        ref={paragraph}
        id={id}
        data-testid="message-text"
        className={`break-words whitespace-pre-wrap ${isExpanded ? "" : "line-clamp-5"}`}
      >
        {text}
      </p>
      {(isLong || isExpanded) && (
        <button
          type="button"
          onClick={() => setExpanded((expanded) => !expanded)}
          aria-expanded={isExpanded}
          aria-controls={id}
          className="mt-0.5 text-xs font-medium text-indigo-600 hover:underline"
        >
          {isExpanded ? "Show less" : "Show more"}
        </button>
      )}
    </>
  );
}
