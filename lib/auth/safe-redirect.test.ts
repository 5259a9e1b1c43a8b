import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_REDIRECT_PATH, safeRedirectPath } from "./safe-redirect";

const origin = "https://chat.example";

describe("safeRedirectPath", () => {
  it.each([
    "/chat",
    "/chat?channels=home,lobby",
    "/shapes#canvas",
    "/chat/%2Fnot-a-host",
    "/caf%C3%A9",
  ])("keeps the same-site path %j", (value) => {
    expect(safeRedirectPath(value, { origin })).toBe(value);
  });

  it.each([
    ["//evil.example", "protocol-relative"],
    ["///evil.example", "extra slashes"],
    ["/\\evil.example/phish", "backslash read as a slash"],
    ["\\/evil.example", "leading backslash"],
    ["\\\\evil.example", "two backslashes"],
    ["/%5Cevil.example", "encoded backslash"],
    ["/%5cevil.example", "encoded backslash, lower case"],
    ["%2F%2Fevil.example", "encoded slashes"],
    ["/%2F/evil.example", "one encoded slash"],
    ["/.//evil.example", "dot segment leaving //"],
    ["/a/..//evil.example", "parent segment leaving //"],
    ["/\t/evil.example", "tab inside"],
    ["/\n/evil.example", "newline inside"],
    ["/\r\n/evil.example", "CRLF inside"],
    ["\t//evil.example", "leading tab"],
    [" //evil.example", "leading space"],
    ["/chat\u0000", "NUL"],
    ["javascript:alert(1)", "javascript: URL"],
    ["JaVaScRiPt:alert(1)", "javascript: URL, mixed case"],
    ["data:text/html,<script>alert(1)</script>", "data: URL"],
    ["https://evil.example/chat", "absolute URL elsewhere"],
    ["http://chat.example/chat", "same host, other scheme"],
    ["https://chat.example@evil.example/", "credentials trick"],
    ["/chat%E0", "malformed encoding"],
    ["", "empty"],
    ["/".padEnd(3000, "a"), "too long"],
  ])("refuses %j (%s)", (value) => {
    expect(safeRedirectPath(value, { origin })).toBe(DEFAULT_REDIRECT_PATH);
  });

  it("turns an absolute URL on the site's origin into a relative path", () => {
    expect(safeRedirectPath("https://chat.example/chat?x=1#y", { origin })).toBe("/chat?x=1#y");
  });

  it("resolves a bare path segment against the root", () => {
    expect(safeRedirectPath("chat", { origin })).toBe("/chat");
  });

  it("refuses anything that is not a string and honours a custom fallback", () => {
    expect(safeRedirectPath(null)).toBe("/chat");
    expect(safeRedirectPath(["/x"], { fallback: "/" })).toBe("/");
  });

  it("stays on the origin for any string", () => {
    const attackish = fc.stringMatching(/^[/\\%2F5Cc\t\n :.a-z@]{0,12}$/u);
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ unit: "binary" }), attackish, fc.webUrl()),
        (value) => {
          const result = safeRedirectPath(value, { origin });
          expect(result.startsWith("/")).toBe(true);
          expect(result.startsWith("//") || result.startsWith("/\\")).toBe(false);
          expect(new URL(result, origin).origin).toBe(origin);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
