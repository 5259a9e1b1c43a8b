import type { Receiver, ServerEventHandlers, ServerEventMessage } from "@/lib/server-events-client";
import { NewInstanceResolver } from "@/lib/server-events-client";
import { applyCss, findElement } from "@/lib/server-events-client/browser";
import { dispatchMessage } from "@/lib/server-events-client/dispatch";
import { warnIgnoredFrame } from "@/lib/server-events-client/frame-policy";

type Listener = (message: ServerEventMessage) => void;

export interface TabDispatcher {
  dispatch: (message: ServerEventMessage) => void;
  addListener: (eventName: string, listener: Listener) => () => void;
}

/**
 * Runs a relayed message in this tab exactly as `ServerEventsClient` would: handlers for
 * `cmd.*`, listeners for `trigger.*`, styles for `css.*`, and named receivers — so every tab, not
 * only the one holding the stream, obeys `/cmd.announce`, `/css.…` and `/trigger.…`.
 */
export interface TabHandlers {
  handlers: ServerEventHandlers;
  receivers?: Record<string, Receiver> | undefined;
  client?: unknown;
}

export function createTabDispatcher(latest: { readonly current: TabHandlers }): TabDispatcher {
  const listeners = new Map<string, Set<Listener>>();
  const resolver = new NewInstanceResolver();
  return {
    dispatch: (message) => {
      const { handlers, receivers, client } = latest.current;
      dispatchMessage(
        {
          handlers,
          receivers: receivers ?? {},
          resolver,
          client,
          // The leader's client has already refused what its policy refuses; this tab checks
          // again because a relayed message is only as trustworthy as the tab that relayed it.
          policy: {},
          onIgnored: warnIgnoredFrame,
          connect: () => {},
          raiseEvent: (name, request) => {
            for (const listener of [...(listeners.get(name) ?? [])]) listener(request);
          },
          applyCss,
          findElement,
        },
        message,
      );
    },
    addListener: (eventName, listener) => {
      const set = listeners.get(eventName) ?? new Set();
      set.add(listener);
      listeners.set(eventName, set);
      return () => set.delete(listener);
    },
  };
}
