"use client";

import { catchError, type ErrorInfo } from "next/error";

/**
 * Stand-in for a part of the page that threw while rendering. The data it renders comes from other
 * people's messages, so however carefully it is checked, one bad entry must cost only itself:
 * the rest of the page keeps working, and "Try again" renders the part again.
 */
function RenderFallback(
  { what, as: Tag = "div" }: { what: string; as?: "div" | "li" },
  { reset }: ErrorInfo,
) {
  return (
    <Tag
      role="status"
      data-testid="render-fallback"
      className="rounded-md bg-rose-50 px-2 py-1 text-center text-xs text-rose-700"
    >
      {what} could not be shown.{" "}
      <button type="button" onClick={reset} className="font-medium underline">
        Try again
      </button>
    </Tag>
  );
}

/** An error boundary around one part of the chat: `<RenderBoundary what="This message">`. */
export const RenderBoundary = catchError(RenderFallback);
