import { assertChannelListSize, parseChannelList } from "./wire/validate";

/** One `UpdateEventSubscriber`: channels to leave, then channels to join. */
export interface ChannelChange {
  unsubscribe?: readonly string[] | undefined;
  subscribe?: readonly string[] | undefined;
}

/** A change whose names are validated (400 naming the field), in the order the steps run. */
export interface ParsedChannelChange {
  unsubscribe: string[] | undefined;
  subscribe: string[] | undefined;
}

/**
 * Validates both lists, and the list `current` would end with (at most 100 channels and 4,000
 * characters, a 400 naming `subscribeChannels` past it), before either step is taken.
 */
export function checkChannelChange(
  current: readonly string[],
  change: ChannelChange,
): ParsedChannelChange {
  const unsubscribe =
    change.unsubscribe && parseChannelList(change.unsubscribe, "unsubscribeChannels");
  const subscribe = change.subscribe && parseChannelList(change.subscribe, "subscribeChannels");
  const removed = new Set(unsubscribe);
  const kept = current.filter((channel) => !removed.has(channel));
  const final = [...new Set([...kept, ...(subscribe ?? [])])];
  assertChannelListSize(final, "subscribeChannels");
  return { unsubscribe, subscribe };
}
