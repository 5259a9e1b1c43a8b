const isWordChar = (c: string): boolean => /[\p{L}\p{N}_]/u.test(c);

/**
 * Whether `text` mentions `@name` (any case, not as the start of a longer name). A plain search,
 * not a RegExp built from the name: a display name is not a pattern, and one such as `a(b` would
 * make `new RegExp` throw during render.
 */
export function mentions(text: string, name: string): boolean {
  if (name === "") return false;
  const haystack = text.toLowerCase();
  const needle = `@${name.toLowerCase()}`;
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) {
    const next = haystack[at + needle.length];
    if (next === undefined || !isWordChar(next)) return true;
  }
  return false;
}
