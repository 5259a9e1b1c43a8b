import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hostileString } from "../testing/arbitraries";
import { buildRequest, expect4xx, origin, requestParts } from "../testing/request-arbitraries";
import { readJsonWithin, RequestArgs } from "./request-args";

/**
 * The HTTP boundary: whatever method, Content-Type, Content-Length, body, query string and headers
 * a caller sends, binding the arguments either works or fails with a 4xx ServerEventsError —
 * never a TypeError, a RangeError or anything else that would become a 500.
 */
const argumentNames = [
  "id",
  "from",
  "channel",
  "channels",
  "selector",
  "message",
  "subscribeChannels",
  "UNSUBSCRIBECHANNELS",
  "customType",
  "__proto__",
  "constructor",
];

describe("RequestArgs.from", { timeout: 30_000 }, () => {
  it("binds any request or refuses it with a 4xx ServerEventsError, and so do its accessors", async () => {
    await fc.assert(
      fc.asyncProperty(requestParts, hostileString(12), async (parts, extraName) => {
        let args: RequestArgs;
        try {
          args = await RequestArgs.from(buildRequest(parts));
        } catch (error) {
          expect4xx(error);
          return;
        }
        expect(args.entries()).toBeInstanceOf(Array);
        for (const name of [...argumentNames, extraName]) {
          args.value(name);
          const reads = [
            () => args.string(name),
            () => args.requiredString(name),
            () => args.list(name),
          ];
          for (const read of reads)
            try {
              read();
            } catch (error) {
              expect4xx(error);
            }
        }
      }),
      { numRuns: 200 },
    );
  });

  it("binds repeated query keys as the list of their values, keys in any case", async () => {
    const key = fc.constantFrom("channel", "Channel", "CHANNEL", "id", "x");
    const value = hostileString(12).map((text) => text.toWellFormed());
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(key, value), { maxLength: 6 }), async (entries) => {
        const url = `${origin}/event-subscribers?${new URLSearchParams(entries).toString()}`;
        const args = await RequestArgs.from(new Request(url));
        for (const name of ["channel", "id", "x"]) {
          const sent = entries.filter(([k]) => k.toLowerCase() === name).map(([, v]) => v);
          expect(args.list(name)).toEqual(sent.length > 0 ? sent : undefined);
          if (sent.length === 1) expect(args.string(name)).toBe(sent[0]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("binds repeated form fields as the list of their values", async () => {
    const value = hostileString(12).map((text) => text.toWellFormed());
    await fc.assert(
      fc.asyncProperty(fc.array(value, { minLength: 1, maxLength: 6 }), async (values) => {
        const request = new Request(`${origin}/api/UpdateEventSubscriber`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams(values.map((v) => ["subscribeChannels", v])).toString(),
        });
        const args = await RequestArgs.from(request);
        expect(args.list("subscribeChannels")).toEqual(values);
      }),
      { numRuns: 300 },
    );
  });
});

describe("JSON nesting", { timeout: 30_000 }, () => {
  it("binds bodies nested up to 64 levels and refuses deeper ones with a 400 naming the body", async () => {
    const level = fc.constantFrom("[", '{"k":');
    // Brackets and quotes inside strings must not count as nesting.
    const leaf = fc.string({
      unit: fc.constantFrom("[", "{", "]", "}", '"', "\\", "a"),
      maxLength: 8,
    });
    await fc.assert(
      fc.asyncProperty(fc.array(level, { maxLength: 120 }), leaf, async (levels, text) => {
        const closing = levels.map((open) => (open === "[" ? "]" : "}")).reverse();
        const value = `${levels.join("")}${JSON.stringify(text)}${closing.join("")}`;
        const request = new Request(`${origin}/api/PostObjectToChannel`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: `{"customType":${value}}`,
        });
        const depth = levels.length + 1;
        const bound = await RequestArgs.from(request).catch((error: unknown) => error);
        if (depth <= 64) {
          expect(bound).toBeInstanceOf(RequestArgs);
          expect((bound as RequestArgs).value("customType")).toEqual(JSON.parse(value));
        } else expect(bound).toMatchObject({ status: 400, field: "body" });
      }),
      { numRuns: 300 },
    );
  });
});

describe("readJsonWithin", { timeout: 30_000 }, () => {
  it("reads any request as JSON or refuses it with a 4xx ServerEventsError", async () => {
    await fc.assert(
      fc.asyncProperty(requestParts, fc.integer({ min: 0, max: 4096 }), async (parts, limit) => {
        try {
          await readJsonWithin(buildRequest(parts), limit);
        } catch (error) {
          expect4xx(error);
        }
      }),
      { numRuns: 300 },
    );
  });
});
