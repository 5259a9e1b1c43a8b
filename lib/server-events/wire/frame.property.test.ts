import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ServerEventsError } from "../errors";
import {
  hostileBody,
  hostileChannel,
  hostileSelector,
  hostileString,
  troublemakers,
} from "../testing/arbitraries";
import { parseSse, type ParsedStream } from "../testing/sse-parse";
import { formatFrame, parseFrameData, toWireSelector } from "./frame";
import { assertChannel, assertSelector, serializeMessage, toSingleLineJson } from "./validate";

/**
 * Frame injection, attacked from every field: whatever strings arrive as channel, selector and
 * body, the provider either refuses them (a 4xx ServerEventsError) or writes a frame that an
 * independent SSE parser (eventsource-parser) reads as exactly one event with only `id` and
 * `data`, whose data decodes back to the very same channel, selector and body.
 */

/** The frame MemoryServerEvents writes for a channel (or targeted) publish: validate, then format. */
function publishFrame(id: number, channel: string | undefined, selector: string, json: string) {
  const checkedChannel = channel === undefined ? undefined : assertChannel(channel);
  const checkedSelector = assertSelector(selector);
  const line = toSingleLineJson(json, "message");
  return {
    frame: formatFrame(id, toWireSelector(checkedSelector, checkedChannel), line),
    json: line,
  };
}

function refusedWith4xx(error: unknown): true {
  expect(error).toBeInstanceOf(ServerEventsError);
  const { status } = error as ServerEventsError;
  expect(status).toBeGreaterThanOrEqual(400);
  expect(status).toBeLessThan(500);
  return true;
}

function expectOnlyEvents(parsed: ParsedStream, count: number) {
  expect(parsed.errors).toEqual([]);
  expect(parsed.comments).toEqual([]);
  expect(parsed.retries).toEqual([]);
  expect(parsed.events).toHaveLength(count);
  for (const event of parsed.events) {
    expect(event.event).toBeUndefined();
    expect(
      Object.keys(event).filter((key) => event[key as keyof typeof event] !== undefined),
    ).toEqual(["id", "data"]);
  }
}

const channel = fc.option(hostileChannel, { nil: undefined });
const cuts = fc.array(fc.nat({ max: 400 }), { maxLength: 6 });

describe("a published frame, parsed by an independent SSE parser", { timeout: 30_000 }, () => {
  it("is refused with a 4xx, or is exactly one event whose data decodes to the same parts", () => {
    let accepted = 0;
    fc.assert(
      fc.property(
        fc.maxSafeNat(),
        channel,
        hostileSelector,
        hostileBody,
        cuts,
        (id, channelName, selector, body, cutAt) => {
          let built: ReturnType<typeof publishFrame>;
          try {
            built = publishFrame(id, channelName, selector, serializeMessage(body));
          } catch (error) {
            return refusedWith4xx(error);
          }
          accepted++;
          const parsed = parseSse(built.frame, cutAt);
          expectOnlyEvents(parsed, 1);
          const [event] = parsed.events;
          expect(event?.id).toBe(String(id));
          const prefix = channelName === undefined ? "" : `${channelName}@`;
          expect(event?.data).toBe(`${prefix}${selector} ${built.json}`);
          expect(parseFrameData(event!.data)).toEqual({
            channel: channelName,
            selector,
            json: serializeMessage(body),
          });
          if (typeof body === "string") expect(JSON.parse(built.json)).toBe(body);
          return true;
        },
      ),
      { numRuns: 1000 },
    );
    expect(accepted).toBeGreaterThan(200);
  });

  it("cannot be split by any raw JSON string: it is refused or stays one event", () => {
    const rawJson = fc.oneof(
      hostileString(64),
      fc.constantFrom(...troublemakers),
      fc.jsonValue().map((value) => JSON.stringify(value, null, 2)),
    );
    let accepted = 0;
    fc.assert(
      fc.property(
        fc.maxSafeNat(),
        channel,
        hostileSelector,
        rawJson,
        cuts,
        (id, c, s, json, at) => {
          let built: ReturnType<typeof publishFrame>;
          try {
            built = publishFrame(id, c, s, json);
          } catch (error) {
            return refusedWith4xx(error);
          }
          accepted++;
          expect(built.json).not.toMatch(/[\r\n]/u);
          const parsed = parseSse(built.frame, at);
          expectOnlyEvents(parsed, 1);
          // Bytes on the wire are UTF-8: a lone surrogate in raw JSON arrives as U+FFFD, nothing more.
          expect(parseFrameData(parsed.events[0]!.data)).toEqual({
            channel: c,
            selector: s,
            json: built.json.toWellFormed(),
          });
          return true;
        },
      ),
      { numRuns: 1000 },
    );
    expect(accepted).toBeGreaterThan(200);
  });

  it("keeps a stream of frames to exactly one event per accepted publish, in order", () => {
    const publish = fc.record({ channel, selector: hostileSelector, body: hostileBody });
    fc.assert(
      fc.property(fc.array(publish, { maxLength: 12 }), cuts, (publishes, cutAt) => {
        const expected: { id: string; data: string }[] = [];
        let stream = "";
        for (const [index, { channel: c, selector: s, body }] of publishes.entries()) {
          try {
            const { frame, json } = publishFrame(index + 1, c, s, serializeMessage(body));
            stream += frame;
            expected.push({ id: String(index + 1), data: `${toWireSelector(s, c)} ${json}` });
          } catch (error) {
            refusedWith4xx(error);
          }
        }
        const parsed = parseSse(stream, cutAt);
        expectOnlyEvents(parsed, expected.length);
        expect(parsed.events.map(({ id, data }) => ({ id, data }))).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});

describe("serializeMessage", { timeout: 30_000 }, () => {
  const noLineBreak = (value: unknown) => {
    const json = serializeMessage(value);
    expect(json).not.toMatch(/[\r\n]/u);
    // Well-formed, so UTF-8 encoding on the wire cannot alter it (lone surrogates are escaped).
    expect(json.isWellFormed()).toBe(true);
    if (json !== "") expect(() => JSON.parse(json) as unknown).not.toThrow();
  };

  it("never writes CR or LF for any JSON value, hostile strings included", () => {
    fc.assert(fc.property(fc.oneof(hostileBody, fc.jsonValue()), noLineBreak), { numRuns: 1000 });
  });

  it("never writes CR or LF for anything a server-side caller may pass", () => {
    const anything = fc.anything({
      key: hostileString(8),
      values: [hostileString(16), fc.double(), fc.boolean(), fc.constant(null)],
      withBoxedValues: true,
      withMap: true,
      withSet: true,
      withObjectString: true,
      withNullPrototype: true,
      withDate: true,
      withTypedArray: true,
      withSparseArray: true,
    });
    fc.assert(fc.property(anything, noLineBreak), { numRuns: 500 });
  });
});
