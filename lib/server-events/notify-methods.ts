import type { NotifyTarget } from "./message";
import type { ServerEvents } from "./server-events";

/** ServiceStack's `Notify*` methods: six targets, each with a twin that takes JSON as it is. */
export type NotifyMethods = Pick<
  ServerEvents,
  | "notifyAll"
  | "notifyAllJson"
  | "notifyChannel"
  | "notifyChannelJson"
  | "notifySubscription"
  | "notifySubscriptionJson"
  | "notifyUserId"
  | "notifyUserIdJson"
  | "notifyUserName"
  | "notifyUserNameJson"
  | "notifySession"
  | "notifySessionJson"
>;

/** The one publish primitive under all of them: whom, what, and an optional channel filter. */
export type PublishPrimitive = (
  target: NotifyTarget,
  selector: string,
  json: string,
  channelFilter?: string,
) => Promise<void>;

type TargetKind = Exclude<NotifyTarget["kind"], "all" | "channel">;

/**
 * Every `Notify*` method as a thin wrapper over `publish`; `serialize` turns messages into JSON.
 * They are async, so bad input rejects rather than throws.
 */
export function createNotifyMethods(
  publish: PublishPrimitive,
  serialize: (message: unknown) => string,
): NotifyMethods {
  const targeted = (kind: TargetKind) => ({
    json: async (value: string, selector: string, json: string, channel?: string) =>
      publish({ kind, value }, selector, json, channel),
    message: async (value: string, selector: string, message: unknown, channel?: string) =>
      publish({ kind, value }, selector, serialize(message), channel),
  });
  const subscription = targeted("subscription");
  const userId = targeted("userId");
  const userName = targeted("userName");
  const session = targeted("session");
  return {
    notifyAll: async (selector, message) => publish({ kind: "all" }, selector, serialize(message)),
    notifyAllJson: async (selector, json) => publish({ kind: "all" }, selector, json),
    notifyChannel: async (channel, selector, message) =>
      publish({ kind: "channel", value: channel }, selector, serialize(message)),
    notifyChannelJson: async (channel, selector, json) =>
      publish({ kind: "channel", value: channel }, selector, json),
    notifySubscription: subscription.message,
    notifySubscriptionJson: subscription.json,
    notifyUserId: userId.message,
    notifyUserIdJson: userId.json,
    notifyUserName: userName.message,
    notifyUserNameJson: userName.json,
    notifySession: session.message,
    notifySessionJson: session.json,
  };
}
