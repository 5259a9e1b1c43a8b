import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cssValueProblem, MAX_CSS_VALUE_LENGTH } from "./css-policy";

const page = "https://chat.example/chat";
const allowed = (value: string) => cssValueProblem(value, page) === undefined;

describe("cssValueProblem", () => {
  it("allows plain values and functions that load nothing", () => {
    for (const value of [
      "red",
      "",
      "12px solid #333",
      "rgb(255, 221, 0)",
      "calc(100% - var(--gap))",
      "linear-gradient(to right, hsl(200 50% 50%), oklch(0.7 0.1 200))",
      "translate(10px, 20px) rotate(5deg)",
      "drop-shadow(0 0 4px rgba(0,0,0,.5))",
    ]) {
      expect(cssValueProblem(value, page), value).toBeUndefined();
    }
  });

  it("allows url() that names an image in the origin's static folders", () => {
    expect(allowed("url(/img/bg.png)")).toBe(true);
    expect(allowed("url('../images/bg.JPG') no-repeat")).toBe(true);
    expect(allowed('URL("https://chat.example/_next/static/media/bg.webp?v=2")')).toBe(true);
    expect(allowed("url(/avatars/ada.svg)")).toBe(true);
  });

  it("refuses url() to the page's own endpoints, which would act with every reader's cookies", () => {
    for (const value of [
      "url(/event-stream?channels=spied)",
      "url(/api/GetChatHistory?channels=home)",
      "url(/channels/home/raw)",
      "url(/event-stream?x=.png)",
      "url(/img/)",
      "url(/chat)",
      "url(/api/auth/x.png)",
      "url(bg.png)",
      "url(/img/../api/x.png)",
      "url(/img/%2e%2e/api/x.png)",
    ]) {
      expect(cssValueProblem(value, page), value).toBe(
        "url() must name an image under /img/, /images/, /media/, /_next/static/ or /avatars/ on this page's origin",
      );
    }
  });

  it("refuses url() to another origin, data: and script URLs", () => {
    for (const value of [
      "url(https://evil.example/x.png)",
      "url(//evil.example/x.png)",
      'url("https://evil.example/x.png")',
      "url(data:image/svg+xml,<svg/>)",
      "url(javascript:alert(1))",
      "url(http://chat.example/x.png)", // http is another origin than https
      "url()",
      "url(/ok.png), url(https://evil.example/x.png)",
      'url("/a" image-set("https://evil.example/x.png"))',
      "url(/a image-set(https://evil.example/x.png))",
    ]) {
      expect(allowed(value), value).toBe(false);
    }
  });

  it("refuses functions that fetch or run code, whatever their case", () => {
    for (const value of [
      'image-set("https://evil.example/x.png" 1x)',
      '-webkit-image-set("https://evil.example/x.png" 1x)',
      'src("https://evil.example/x.png")',
      "expression(alert(1))",
      "EXPRESSION(alert(1))",
      'cross-fade(url(/a.png), image("https://evil.example/x.png"))',
      "paint(worklet)",
      "attr(data-x url)",
      "url (https://evil.example/x.png)",
      "(https://evil.example)",
    ]) {
      expect(allowed(value), value).toBe(false);
    }
  });

  it("refuses escapes, comments and declaration breaks", () => {
    for (const value of [
      "u\\rl(https://evil.example/x.png)",
      "\\75 rl(https://evil.example/x.png)",
      "red\\9",
      "u/**/rl(https://evil.example/x.png)",
      "red; background: url(https://evil.example/x.png)",
      "red } body { color: blue",
    ]) {
      expect(allowed(value), value).toBe(false);
    }
  });

  it("allows no url() at all without a page", () => {
    expect(cssValueProblem("url(/bg.png)", undefined)).toMatch(/origin/);
    expect(cssValueProblem("red", undefined)).toBeUndefined();
  });

  it("refuses values longer than the cap", () => {
    expect(allowed("a".repeat(MAX_CSS_VALUE_LENGTH))).toBe(true);
    expect(allowed("a".repeat(MAX_CSS_VALUE_LENGTH + 1))).toBe(false);
  });

  it("never allows a value that names another origin inside url(", () => {
    const evil = fc.constantFrom(
      "url(https://evil.example/x)",
      "url('//evil.example/x')",
      'url("data:image/png;base64,AA")',
    );
    const filler = fc.string({ maxLength: 40 });
    fc.assert(
      fc.property(filler, evil, filler, (before, bad, after) => {
        expect(allowed(`${before}${bad}${after}`)).toBe(false);
      }),
    );
  });
});
