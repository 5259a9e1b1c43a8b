import type { ServerEvents } from "@/lib/server-events";

/**
 * Ends the account's event streams on every instance, but for those of session `keep` (the
 * browser that changed the password): a stream stays its user's subscription, receiving what is
 * sent to them, until it ends, and a session that no longer counts would otherwise keep it until
 * its refused heartbeats let it expire. The clients reconnect as whoever their cookies now say.
 * @returns how many streams were ended
 */
export async function endOtherStreams(
  events: ServerEvents,
  userId: string,
  keep: string,
): Promise<number> {
  const others = (await events.getSubscriptionInfosByUserId(userId)).filter(
    (info) => info.sessionId !== keep,
  );
  const ended = await Promise.all(others.map((info) => events.unRegister(info.id)));
  return ended.filter(Boolean).length;
}
