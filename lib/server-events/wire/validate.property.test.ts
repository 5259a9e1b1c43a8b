import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ServerEventsError } from "../errors";
import {
  hostileChannel,
  hostileSelector,
  hostileString,
  hostileUnit,
} from "../testing/arbitraries";
import {
  MAX_CHANNELS_PER_SUBSCRIPTION,
  assertChannel,
  assertPrintable,
  assertSelector,
  assertText,
  parseChannelList,
} from "./validate";

/**
 * Each validator is checked against an independent model of its rule: it accepts exactly the
 * strings the model allows, returns them unchanged, and refuses every other one with a 400 that
 * names the field it was given.
 */
const controlCharacter = /\p{Cc}/u;
const whitespace = /[\s\p{White_Space}]/u;
const field = fc.string({ maxLength: 12 });
const longName = fc.string({
  unit: fc.oneof(fc.constantFrom("a", "."), hostileUnit),
  minLength: 190,
  maxLength: 510,
});
const name = fc.oneof(
  { arbitrary: hostileString(), weight: 3 },
  { arbitrary: hostileChannel, weight: 2 },
  { arbitrary: longName, weight: 1 },
);

function outcome(validate: () => unknown, expectedField: string): "accepted" | "refused" {
  try {
    validate();
    return "accepted";
  } catch (error) {
    expect(error).toBeInstanceOf(ServerEventsError);
    expect((error as ServerEventsError).status).toBe(400);
    expect((error as ServerEventsError).field).toBe(expectedField);
    return "refused";
  }
}

const isPrintable = (value: string) => !controlCharacter.test(value) && value.isWellFormed();
/**
 * Unicode's default-ignorable code points, copied from DerivedCoreProperties.txt (the validator
 * uses the regular-expression property instead).
 */
const defaultIgnorable = [
  [0xad, 0xad],
  [0x34f, 0x34f],
  [0x61c, 0x61c],
  [0x115f, 0x1160],
  [0x17b4, 0x17b5],
  [0x180b, 0x180f],
  [0x200b, 0x200f],
  [0x202a, 0x202e],
  [0x2060, 0x206f],
  [0x3164, 0x3164],
  [0xfe00, 0xfe0f],
  [0xfeff, 0xfeff],
  [0xffa0, 0xffa0],
  [0xfff0, 0xfff8],
  [0x1bca0, 0x1bca3],
  [0x1d173, 0x1d17a],
  [0xe0000, 0xe0fff],
];
const JOINERS = [0x200c, 0x200d];
const PRESENTATION_SELECTORS = [0xfe0e, 0xfe0f];
/** Draw nothing, yet are neither whitespace nor default-ignorable. */
const BLANK_GLYPHS = ["\u2800", "\u{1d159}"];
/**
 * The Braille blank, and invisible code points but the joiners, and a presentation selector right after a pictograph
 * or (U+FE0F) opening a keycap.
 */
function hasInvisible(value: string): boolean {
  if (BLANK_GLYPHS.some((glyph) => value.includes(glyph))) return true;
  const codePoints = [...value];
  return codePoints.some((char, i) => {
    const code = char.codePointAt(0)!;
    if (!defaultIgnorable.some(([from, to]) => code >= from! && code <= to!)) return false;
    if (JOINERS.includes(code)) return false;
    if (!PRESENTATION_SELECTORS.includes(code)) return true;
    const previous = codePoints[i - 1];
    const afterPictograph = previous !== undefined && /\p{Extended_Pictographic}/u.test(previous);
    const keycap = code === 0xfe0f && codePoints[i + 1] === "\u20e3";
    return !afterPictograph && !keycap;
  });
}
const isChannel = (value: string) =>
  value.length >= 1 &&
  value.length <= 200 &&
  !/[@,]/u.test(value) &&
  !whitespace.test(value) &&
  !hasInvisible(value);
const isSelector = (value: string) =>
  value.length <= 500 &&
  value.indexOf(".", 1) !== -1 &&
  !/@/u.test(value) &&
  !whitespace.test(value) &&
  !hasInvisible(value);

/** Fails unless the run saw both outcomes: a property that never accepts proves nothing. */
function coverage() {
  const seen = new Set<string>();
  return {
    add: (result: string) => seen.add(result),
    check: () => expect([...seen].sort()).toEqual(["accepted", "refused"]),
  };
}

describe("assertChannel", { timeout: 30_000 }, () => {
  it("accepts exactly the non-empty printable names without '@', ',' or whitespace, up to 200", () => {
    const seen = coverage();
    fc.assert(
      fc.property(name, field, (channel, fieldName) => {
        const result = outcome(() => assertChannel(channel, fieldName), fieldName);
        seen.add(result);
        expect(result).toBe(isChannel(channel) && isPrintable(channel) ? "accepted" : "refused");
      }),
      { numRuns: 1000 },
    );
    seen.check();
  });

  it("never lets a control character, lone surrogate, whitespace, '@' or ',' through", () => {
    fc.assert(
      fc.property(name, (channel) => {
        let accepted: string;
        try {
          accepted = assertChannel(channel);
        } catch {
          return;
        }
        expect(accepted).toBe(channel);
        expect(accepted).not.toMatch(controlCharacter);
        expect(accepted).not.toMatch(whitespace);
        expect(accepted).not.toMatch(/[@,\r\n]/u);
        expect(accepted.isWellFormed()).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});

describe("assertSelector", { timeout: 30_000 }, () => {
  it("accepts exactly printable 'op.target' names without '@' or whitespace, up to 500", () => {
    const seen = coverage();
    fc.assert(
      fc.property(fc.oneof(hostileSelector, longName), field, (selector, fieldName) => {
        const result = outcome(() => assertSelector(selector, fieldName), fieldName);
        seen.add(result);
        expect(result).toBe(isSelector(selector) && isPrintable(selector) ? "accepted" : "refused");
        if (result === "accepted") {
          expect(selector).not.toMatch(controlCharacter);
          expect(selector).not.toMatch(/[@\s]/u);
        }
      }),
      { numRuns: 1000 },
    );
    seen.check();
  });
});

describe("parseChannelList", { timeout: 30_000 }, () => {
  it("returns the unique non-empty entries in order, or refuses the whole list with a 400", () => {
    const seen = coverage();
    const lists = fc.oneof(
      fc.array(hostileChannel, { maxLength: 6 }),
      // Past the 100-channel cap, with plain names only so the cap is what refuses them.
      fc
        .array(fc.stringMatching(/^[a-c]{1,4}$/u), { minLength: 90, maxLength: 130 })
        .map((names) => [names.join(",")]),
    );
    fc.assert(
      fc.property(lists, field, (values, fieldName) => {
        const entries = [...new Set(values.flatMap((value) => value.split(",")))].filter(Boolean);
        const valid =
          entries.every((entry) => isChannel(entry) && isPrintable(entry)) &&
          entries.length <= MAX_CHANNELS_PER_SUBSCRIPTION;
        let parsed: string[] | undefined;
        const result = outcome(() => (parsed = parseChannelList(values, fieldName)), fieldName);
        seen.add(result);
        expect(result).toBe(valid ? "accepted" : "refused");
        if (parsed) {
          expect(parsed).toEqual(entries);
          for (const channel of parsed) expect(channel).not.toMatch(/[\p{Cc}\s@,]/u);
        }
      }),
      { numRuns: 300 },
    );
    seen.check();
  });
});

describe("assertPrintable and assertText", { timeout: 30_000 }, () => {
  const text = fc.oneof(hostileString(40), fc.string({ unit: "binary", maxLength: 40 }));

  it("assertPrintable refuses exactly control characters and lone surrogates", () => {
    const seen = coverage();
    fc.assert(
      fc.property(text, field, (value, fieldName) => {
        const result = outcome(() => assertPrintable(value, fieldName), fieldName);
        seen.add(result);
        expect(result).toBe(isPrintable(value) ? "accepted" : "refused");
      }),
      { numRuns: 1000 },
    );
    seen.check();
  });

  it("assertText allows tab, CR and LF but no other control character nor lone surrogate", () => {
    const seen = coverage();
    fc.assert(
      fc.property(text, field, (value, fieldName) => {
        const result = outcome(() => assertText(value, fieldName), fieldName);
        seen.add(result);
        const withoutLineBreaks = value.replace(/[\t\r\n]/gu, "");
        expect(result).toBe(isPrintable(withoutLineBreaks) ? "accepted" : "refused");
        if (result === "accepted") expect(value).not.toMatch(/[^\P{Cc}\t\r\n]/u);
      }),
      { numRuns: 1000 },
    );
    seen.check();
  });
});
