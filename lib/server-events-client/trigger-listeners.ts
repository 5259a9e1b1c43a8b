import { lookup } from "./receivers";
import type { ServerEventMessage } from "./types";

export type Listener = (e: ServerEventMessage) => void;

/** The `addListener` listeners by event name: a `trigger.{name}` message calls those of `name`. */
export class TriggerListeners {
  /** The lists themselves: the client exposes them as `listeners`, as the official client does. */
  readonly byName: Record<string, Listener[]> = {};

  add(eventName: string, listener: Listener): void {
    (this.byName[eventName] ??= []).push(listener);
  }

  remove(eventName: string, listener: Listener): void {
    const list = this.byName[eventName];
    const at = list?.indexOf(listener) ?? -1;
    if (at >= 0) list?.splice(at, 1);
  }

  /** Calls each listener through `safely`, over a copy: a listener may remove itself. */
  raise(eventName: string, message: ServerEventMessage, safely: (fn: () => void) => void): void {
    for (const listener of [...(lookup(this.byName, eventName) ?? [])]) {
      safely(() => listener(message));
    }
  }
}
