import { pageHref } from "./browser";
import { cssValueProblem, toCssText } from "./css-policy";
import { allowedLocation, isNavigation, type LocationPolicy } from "./location-policy";
import { systemFrameProblem } from "./system-frames";
import type { ServerEventMessage } from "./types";

/** What the client refuses to act on, whoever published it. */
export interface FramePolicy {
  /** Where `window.location` / `document.location` messages may go. @default the page's origin */
  allowedLocationOrigins?: LocationPolicy | undefined;
  /** The client's base URL: the origin that counts as "ours" under Node. */
  baseUrl?: string | undefined;
}

/**
 * Why the client must not act on `request`, or `undefined` when it may. Anyone subscribed to a
 * channel can publish to it, so a frame is only as trustworthy as its least trusted publisher:
 * - a built-in command in a shape the server never sends (see {@link systemFrameProblem});
 * - a navigation to a URL the {@link FramePolicy} does not allow;
 * - in a page, a `css.*` value that would load something (see {@link cssValueProblem}).
 */
export function frameProblem(request: ServerEventMessage, policy: FramePolicy): string | undefined {
  const system = systemFrameProblem(request);
  if (system !== undefined) return system;
  if (
    isNavigation(request) &&
    allowedLocation(request.body, policy.allowedLocationOrigins, policy.baseUrl) === undefined
  ) {
    return "navigation to a URL outside allowedLocationOrigins";
  }
  // Only a page loads what a style names; under Node a `css` receiver gets the value as sent.
  const page = pageHref();
  if (request.op === "css" && page !== undefined) {
    const problem = cssValueProblem(toCssText(request.body), page);
    if (problem !== undefined) return `css value refused: ${problem}`;
  }
  return undefined;
}

/** The frame as a reader would quote it: `home@css.color$#top`. */
export function describeFrame(request: Pick<ServerEventMessage, "channel" | "selector">): string {
  return request.channel === null ? request.selector : `${request.channel}@${request.selector}`;
}

/** The default `onIgnoredFrame`: one console warning that names the frame and the reason. */
export function warnIgnoredFrame(reason: string, request: ServerEventMessage): void {
  console.warn(`[server-events] ignored ${describeFrame(request)}: ${reason}`);
}
