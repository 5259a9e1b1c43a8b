import { describe, expect, it } from "vitest";
import { isHttpsRequest } from "./request-scheme";

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
