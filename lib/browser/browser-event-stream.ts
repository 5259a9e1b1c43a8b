import { ServerEventsClient } from "@/lib/server-events-client";
import { SharedEventStream, type StreamClientHooks } from "./shared-event-stream";
import { streamPathOfPage } from "./stream-path-meta";

const keptByClient = new Set(["onConnect", "onHeartbeat"]);

/** The leader's real client: it keeps `onConnect`/`onHeartbeat` and hands every other message on. */
export function createBrowserClient(
  channels: string[],
  hooks: StreamClientHooks,
  lastEventId: string | undefined,
) {
  return new ServerEventsClient("/", channels, {
    eventStreamPath: streamPathOfPage(),
    lastEventId,
    validate: (message) => {
      if (message.op === "cmd" && keptByClient.has(message.target)) return true;
      hooks.onMessage(message);
      return false;
    },
    handlers: { onConnect: () => hooks.onState() },
    onStateChange: () => hooks.onState(),
    onException: (error) => console.warn("[server-events]", error),
    // This package's server ends a subscription the moment its stream closes, as the page's does
    // when it goes: an unregister sent then would arrive too late and get a 404.
    unregisterOnPageHide: false,
  });
}

let current: SharedEventStream | undefined;
let currentName: string | undefined;
let watchingPage = false;

/**
 * A page going away leaves the shared stream (another tab takes it over; the stream's closing ends
 * the subscription, so no unregister); one that comes back from the back/forward cache joins
 * again. Suspended, not closed: the hooks keep listening to the same instance.
 */
function watchPage(): void {
  if (watchingPage) return;
  watchingPage = true;
  window.addEventListener("pagehide", () => current?.suspend());
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) current?.resume();
  });
}

/**
 * This tab's handle on the browser-wide stream for `userKey` (who is signed in, so tabs of
 * different identities never share) and `scope` (pages of another scope keep a stream of their
 * own). Reused across client-side navigations; its channels are replaced by the page that asks.
 */
export function getSharedEventStream(
  userKey: string,
  channels: string[],
  scope?: string,
): SharedEventStream {
  const name = `server-events:${userKey}${scope === undefined ? "" : `:${scope}`}`;
  if (current && currentName === name) {
    current.setChannels(channels);
    return current;
  }
  void current?.close();
  currentName = name;
  current = new SharedEventStream({ name, channels, createClient: createBrowserClient });
  watchPage();
  return current;
}
