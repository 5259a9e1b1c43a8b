/**
 * What a channel name may be: what the server accepts, minus what a URL list would split, minus
 * dots alone (`/channels/../chat` is `/chat` to every URL parser: nothing could be sent there), and
 * minus the server's own `server-events.*` channels (the operators' channel streams on its own).
 */
export const CHANNEL_NAME_PATTERN = /^(?!\.+$)(?!server-events\.)[A-Za-z0-9_.:-]{1,64}$/iu;
const SERVER_CHANNEL_PREFIX = /^server-events\./iu;
export const MAX_CHANNEL_NAME_LENGTH = 64;

/** The rule, as the page says it. */
export const CHANNEL_NAME_RULE = "Use 1–64 letters, digits, _ . : or -.";

/**
 * Why `name` is not a channel name, in words a person can act on, or `null` when it is one.
 * A leading `#` is allowed and ignored, as people type it.
 */
export function channelNameProblem(name: string): string | null {
  const channel = name.replace(/^#/u, "");
  if (CHANNEL_NAME_PATTERN.test(channel)) return null;
  if (channel === "") return `A channel needs a name. ${CHANNEL_NAME_RULE}`;
  if (channel.length > MAX_CHANNEL_NAME_LENGTH)
    return `That is ${channel.length} characters; channel names have at most ${MAX_CHANNEL_NAME_LENGTH}.`;
  if (/\s/u.test(channel)) return `Spaces aren't allowed in channel names. ${CHANNEL_NAME_RULE}`;
  if (/^\.+$/u.test(channel)) return `A channel name needs more than dots. ${CHANNEL_NAME_RULE}`;
  if (SERVER_CHANNEL_PREFIX.test(channel))
    return "Channels named server-events.… belong to the server: pick another name.";
  const bad = [...channel].find((c) => !/[A-Za-z0-9_.:-]/u.test(c)) ?? "";
  return `"${bad}" isn't allowed in channel names. ${CHANNEL_NAME_RULE}`;
}

/**
 * `?channels=` values split into the channels to join and what was left out (to tell the reader).
 * Duplicates count once; empty items (`a,,b`) are ignored silently.
 */
export function parseChannelParams(values: readonly string[]): {
  channels: string[];
  dropped: string[];
} {
  const items = [...new Set(values.flatMap((v) => v.split(",")).map((c) => c.trim()))].filter(
    (c) => c !== "",
  );
  return {
    channels: items.filter((c) => CHANNEL_NAME_PATTERN.test(c)),
    dropped: items.filter((c) => !CHANNEL_NAME_PATTERN.test(c)),
  };
}
