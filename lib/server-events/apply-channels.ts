/**
 * Re-labels a subscription's channels; only the subscription index calls it (through this symbol,
 * which the package's index does not export), so that the index always knows who is in which
 * channel.
 */
export const applyChannels: unique symbol = Symbol("applyChannels");
