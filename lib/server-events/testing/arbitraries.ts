import fc from "fast-check";

/**
 * Strings that break naive SSE writers and name checks: every line terminator SSE knows (CR, LF,
 * CRLF) and the ones it does not (NEL, LS, PS), NUL and other controls, lone surrogates, the
 * separators of our own wire format (`@`, `,`, space, `.`, `$`), SSE field names, and a ready-made
 * injected frame.
 */
export const troublemakers: readonly string[] = [
  "\r",
  "\n",
  "\r\n",
  "\n\n",
  "\u0085",
  "\u2028",
  "\u2029",
  "\0",
  "\x01",
  "\x1b",
  "\x7f",
  "\x9f",
  "\ufeff",
  "\u00a0",
  "\u3000",
  "\u200b",
  "\u202e",
  "\u2800",
  "\u{1d159}",
  "\u00ad",
  "\ufe0f",
  "\u2764\ufe0f",
  "1\ufe0f",
  "\ufe0f\u20e3",
  "\ud800",
  "\udfff",
  "\ud83d",
  "\ude00",
  "😀",
  "@",
  ",",
  " ",
  "\t",
  ".",
  "$",
  "#",
  ":",
  "data: ",
  "id: 9",
  "event: x",
  "retry: 1",
  ": comment",
  "\n\nid: 1\ndata: cmd.injected {}\n\n",
  "\rdata: cmd.injected {}\r\r",
];

/** One UTF-16 code unit: includes unpaired surrogates, which `unit: "binary"` never produces. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));
/** One code point anywhere in Unicode, astral planes included. */
const codePoint = fc.string({ unit: "binary", minLength: 1, maxLength: 1 });
/** Characters every valid name is made of, so a fair share of generated names pass validation. */
const plainChar = fc.constantFrom(..."abcxyzABC0129-_.*~é中");

export const hostileUnit: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: plainChar, weight: 8 },
  { arbitrary: codePoint, weight: 3 },
  { arbitrary: codeUnit, weight: 2 },
  { arbitrary: fc.constantFrom(...troublemakers), weight: 2 },
);

/** Any string at all, biased towards the characters that matter on the wire. */
export const hostileString = (maxLength = 24): fc.Arbitrary<string> =>
  fc.string({ unit: hostileUnit, maxLength });

/** A name any validator accepts, so properties reach the wire often enough to prove something. */
const plainName = (maxLength: number) =>
  fc.string({ unit: plainChar.filter((char) => char !== "."), minLength: 1, maxLength });

/** Any string as a channel name; one in three a plain, valid one. */
export const hostileChannel: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: hostileString(), weight: 2 },
  { arbitrary: plainName(12), weight: 1 },
);

/** Mostly `op.target`-shaped, so selectors get past the dot rule often enough to reach the wire. */
export const hostileSelector: fc.Arbitrary<string> = fc.oneof(
  hostileString(),
  fc.tuple(hostileString(8), hostileString(16)).map(([op, target]) => `${op}.${target}`),
  fc.tuple(plainName(6), plainName(12)).map(([op, target]) => `${op}.${target}`),
);

/** Any JSON value, with hostile strings in keys and values. */
export const hostileJson: fc.Arbitrary<unknown> = fc.jsonValue({
  stringUnit: hostileUnit,
  maxDepth: 4,
});

/** Message bodies as a server-side caller passes them to `notify*`. */
export const hostileBody: fc.Arbitrary<unknown> = fc.oneof(
  hostileString(64),
  hostileJson,
  fc.constantFrom(null, undefined, "", 0, true),
);

/** A value Fetch's `Headers` accepts (a ByteString without NUL, CR or LF), otherwise anything. */
export const headerValue: fc.Arbitrary<string> = fc.string({
  unit: fc.oneof(
    fc.integer({ min: 0x20, max: 0xff }).map((code) => String.fromCharCode(code)),
    fc.constantFrom("\t", " ", ",", ";", "=", '"'),
  ),
  maxLength: 40,
});

/** Usually absent: for optional parts that would otherwise decide most outcomes on their own. */
export const sometimes = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary, weight: 1 });
