import type { ServerEvents } from "@/lib/server-events";

/**
 * Ends every event stream of the account, on every instance: a stream stays its user's
 * subscription, receiving what is sent to them, until it ends, and a session that no longer
 * counts would otherwise keep it until its refused heartbeats let it expire. This browser's
 * streams end too: a copied session cookie carries the same session id as the original, so
 * nothing tells them apart. Each client reconnects as whoever its cookies now say.
 * @returns how many streams were ended
 */
export async function endStreamsOf(events: ServerEvents, userId: string): Promise<number> {
  const infos = await events.getSubscriptionInfosByUserId(userId);
  const ended = await Promise.all(infos.map((info) => events.unRegister(info.id)));
  return ended.filter(Boolean).length;
}
