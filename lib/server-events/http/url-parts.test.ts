import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { pathnameOf, queryOf } from "./url-parts";

describe("pathnameOf and queryOf", () => {
  it("read what URL reads from the URLs servers hand to handlers", () => {
    for (const url of [
      "http://127.0.0.1:3000/event-heartbeat?id=abc",
      "https://example.com/event-stream?channels=a,b&channel=c#frag",
      "http://localhost/",
      "http://localhost",
      "http://localhost?x=1",
      "http://[::1]:3000/event-subscribers/abc%2Fdef?x=%26",
      "http://host/a#b?c",
      "http://host/event-heartbeat??id=x",
    ]) {
      const parsed = new URL(url);
      expect(pathnameOf(url)).toBe(parsed.pathname);
      expect([...queryOf(url)]).toEqual([...parsed.searchParams]);
    }
  });

  it("agree with URL for any normalised path and query", () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9._~%-]{0,12}$/u);
    fc.assert(
      fc.property(
        fc.array(segment, { maxLength: 4 }),
        fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 })),
        fc.option(fc.string({ maxLength: 8 })),
        (segments, query, fragment) => {
          const base = new URL(`http://host:8080/${segments.join("/")}`);
          for (const [name, value] of Object.entries(query)) base.searchParams.append(name, value);
          if (fragment !== null) base.hash = fragment;
          const url = base.href;
          expect(pathnameOf(url)).toBe(base.pathname);
          expect([...queryOf(url)]).toEqual([...base.searchParams]);
        },
      ),
    );
  });
});
