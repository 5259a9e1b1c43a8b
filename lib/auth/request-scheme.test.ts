import { describe, expect, it } from "vitest";
import { isHttpsRequest, isHttpsSite } from "./request-scheme";

describe("isHttpsRequest", () => {
  it.each([
    [{ "x-forwarded-proto": "https" }, true],
    [{ "x-forwarded-proto": "HTTPS, http" }, true],
    [{ "x-forwarded-proto": "http", origin: "https://chat.example" }, true],
    [{ origin: "https://chat.example" }, true],
    [{ "x-forwarded-proto": "http" }, false],
    [{ "x-forwarded-proto": "http", origin: "http://127.0.0.1:3000" }, false],
    [{ origin: "null" }, false],
    [{}, false],
  ])("%j → %s", (headers, expected) => {
    expect(isHttpsRequest(new Headers(headers))).toBe(expected);
  });
});

describe("isHttpsSite", () => {
  const noEnv = {};
  it.each([
    [{ "x-forwarded-proto": "https" }, undefined, true],
    [{ "x-forwarded-proto": "HTTPS, http" }, undefined, true],
    // A POST's Origin must not change the answer: a page load carries none.
    [{ "x-forwarded-proto": "http", origin: "https://chat.example" }, undefined, false],
    [{ "x-forwarded-proto": "http" }, "https://chat.example/chat", false],
    [{}, "https://chat.example/chat", true],
    [{}, "http://127.0.0.1/chat", false],
    [{}, undefined, false],
  ])("%j at %s → %s", (headers, url, expected) => {
    expect(isHttpsSite(new Headers(headers), url, noEnv)).toBe(expected);
  });

  it("follows AUTH_URL when it is set, as Auth.js does", () => {
    const headers = new Headers({ "x-forwarded-proto": "http" });
    expect(isHttpsSite(headers, undefined, { AUTH_URL: "https://chat.example" })).toBe(true);
    expect(
      isHttpsSite(new Headers({ "x-forwarded-proto": "https" }), undefined, {
        NEXTAUTH_URL: "http://127.0.0.1:3000",
      }),
    ).toBe(false);
  });
});
