/** Longest chat message the server takes unless `SSE_MAX_CHAT_LENGTH` says otherwise. */
export const DEFAULT_MAX_CHAT_LENGTH = 4_000;

/**
 * The most `SSE_MAX_CHAT_LENGTH` may be set to. The page shows any message up to it whole (behind
 * "Show more"): a deployment that raises the limit must not find its messages cut on screen.
 */
export const MAX_CHAT_LENGTH_CEILING = 1_000_000;
