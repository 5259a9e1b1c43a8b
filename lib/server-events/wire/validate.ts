import { invalidArgument } from "../errors";

/**
 * Channel and selector rules that make frame injection impossible: a frame is one `data:` line,
 * `channel@selector json`, so a channel may not hold `@`, `,` (the list separator), whitespace or a
 * line break, and a selector may not hold `@` or whitespace. We refuse, never strip silently.
 * @see docs/protocol.md, "Names"
 */
const MAX_CHANNEL_LENGTH = 200;
const MAX_SELECTOR_LENGTH = 500;
/** Every channel costs an onJoin/onUpdate frame carrying the whole list: keep lists bounded. */
export const MAX_CHANNELS_PER_SUBSCRIPTION = 100;
/**
 * …in characters too (the list as presence carries it, `a,b,c`): 100 names of 200 CJK characters
 * made every presence frame 60 KB, and one channel change 12 MB of frames in the cluster's log.
 */
const MAX_CHANNEL_LIST_LENGTH = 4000;

/** A 400 naming `field` when `channels` is longer, in count or in characters, than a list may be. */
export function assertChannelListSize(channels: readonly string[], field: string): void {
  if (channels.length > MAX_CHANNELS_PER_SUBSCRIPTION)
    throw invalidArgument(
      field,
      `A subscription may hold at most ${MAX_CHANNELS_PER_SUBSCRIPTION} channels`,
    );
  const length = channels.reduce((sum, channel) => sum + channel.length, channels.length - 1);
  if (length > MAX_CHANNEL_LIST_LENGTH)
    throw invalidArgument(
      field,
      `A subscription's channels may take at most ${MAX_CHANNEL_LIST_LENGTH} characters in all, got ${length}`,
    );
}
const channelPattern = /^[^\s@,]+$/u;
const selectorPattern = /^[^\s@]+\.[^\s@]*$/u;
/**
 * C0 and C1 controls and DEL: invisible on screen, and NUL is refused by Postgres text columns.
 * Lone surrogates are checked with `isWellFormed` (they cannot be encoded as UTF-8).
 */
const controlCharacter = /\p{Cc}/u;
/**
 * Characters that are invisible or reorder the text around them: Unicode's default-ignorable
 * code points, which include the bidi marks, embeddings, overrides and isolates (U+202E makes
 * `gnp.exe` show as `exe.png`), zero-width spaces, the word joiner, the BOM, the soft hyphen,
 * Hangul fillers, variation selectors and tag characters. Two channel names differing only by
 * them look the same on screen. The zero-width (non-)joiners stay allowed, as some scripts and
 * emoji sequences need them, and so do the presentation selectors after a pictograph (`❤️`) and
 * in a keycap (`1️⃣`); after a digit alone (`room1\ufe0f`) one is as invisible as any.
 */
const invisibleOrReordering =
  /(?![\u200c\u200d])(?<!\p{Extended_Pictographic})(?!\ufe0f\u20e3)\p{Default_Ignorable_Code_Point}|(?![\u200c\u200d\ufe0e\ufe0f])\p{Default_Ignorable_Code_Point}/u;

/** Refuses control characters and lone surrogates in a name that reaches other people's screens. */
export function assertPrintable(value: string, field: string): string {
  if (controlCharacter.test(value))
    throw invalidArgument(field, `'${field}' must not contain control characters`);
  if (!value.isWellFormed())
    throw invalidArgument(field, `'${field}' must not contain unpaired surrogates`);
  return value;
}

/**
 * Message text may hold tabs and line breaks (JSON escapes them), but no other control character
 * and no unpaired surrogate.
 */
export function assertText(value: string, field: string): string {
  if (/[\0-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/u.test(value))
    throw invalidArgument(
      field,
      `'${field}' must not contain control characters other than tab and line breaks`,
    );
  if (!value.isWellFormed())
    throw invalidArgument(field, `'${field}' must not contain unpaired surrogates`);
  return value;
}

export function assertChannel(channel: string, field = "channel"): string {
  if (channel.length === 0) throw invalidArgument(field, `'${field}' must not be empty`);
  if (channel.length > MAX_CHANNEL_LENGTH)
    throw invalidArgument(field, `'${field}' is longer than ${MAX_CHANNEL_LENGTH} characters`);
  if (!channelPattern.test(channel))
    throw invalidArgument(
      field,
      `'${field}' must not contain '@', ',', whitespace or line breaks: ${JSON.stringify(channel)}`,
    );
  return assertPrintable(assertVisible(channel, field), field);
}

/**
 * Characters that draw nothing yet are neither whitespace nor default-ignorable: the Braille
 * blank (`mallory\u2800joined.` reads as a presence line) and the musical null notehead.
 */
const blankGlyph = /[\u2800\u{1d159}]/u;

/** Refuses what would make a name look like other text: invisible, reordering or blank glyphs. */
function assertVisible(name: string, field: string): string {
  if (invisibleOrReordering.test(name) || blankGlyph.test(name))
    throw invalidArgument(
      field,
      `'${field}' must not contain invisible or text-reordering characters (zero-width spaces, soft hyphens, bidi controls, variation selectors, blank glyphs): ${JSON.stringify(name)}`,
    );
  return name;
}

/** Selectors are `op.target[$cssSelector]`; the official clients throw on one without a dot. */
export function assertSelector(selector: string, field = "selector"): string {
  if (selector.length > MAX_SELECTOR_LENGTH)
    throw invalidArgument(field, `'${field}' is longer than ${MAX_SELECTOR_LENGTH} characters`);
  if (!selectorPattern.test(selector))
    throw invalidArgument(
      field,
      `'${field}' must look like 'op.target' with no '@', whitespace or line breaks: ${JSON.stringify(selector)}`,
    );
  return assertPrintable(assertVisible(selector, field), field);
}

/**
 * Splits `a,b` lists (query strings, form fields) and validates each channel. Empty entries are
 * dropped and duplicates removed, keeping the first occurrence's order.
 */
export function parseChannelList(values: readonly string[], field = "channels"): string[] {
  const channels = new Set<string>();
  for (const value of values) {
    for (const channel of value.split(",")) {
      if (channel === "" || channels.has(channel)) continue;
      channels.add(assertChannel(channel, field));
      if (channels.size > MAX_CHANNELS_PER_SUBSCRIPTION)
        throw invalidArgument(
          field,
          `'${field}' may list at most ${MAX_CHANNELS_PER_SUBSCRIPTION} channels`,
        );
    }
  }
  const list = [...channels];
  assertChannelListSize(list, field);
  return list;
}

/**
 * Raw JSON passes through untouched when it is already one line; otherwise it is re-serialized
 * (JSON allows line breaks only as insignificant whitespace) or refused when it is not JSON.
 */
export function toSingleLineJson(json: string, field = "json"): string {
  if (!/[\r\n]/u.test(json)) return json;
  try {
    return JSON.stringify(JSON.parse(json) as unknown);
  } catch (cause) {
    throw invalidArgument(field, `'${field}' contains a line break and is not valid JSON`, cause);
  }
}

/** ServiceStack serializes `null`/`undefined` as an empty body and anything else as JSON. */
export function serializeMessage(message: unknown): string {
  if (message === undefined || message === null) return "";
  // Functions and symbols have no JSON form: send them as an empty body, never "undefined".
  const json: string | undefined = JSON.stringify(message);
  return json ?? "";
}
