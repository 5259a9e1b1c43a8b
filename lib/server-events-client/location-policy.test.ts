import { afterEach, describe, expect, it, vi } from "vitest";
import { allowedLocation, isNavigation } from "./location-policy";

afterEach(() => {
  vi.unstubAllGlobals();
});

const onPage = () => vi.stubGlobal("location", { href: "https://chat.example/chat?channels=home" });
const href = (url: URL | undefined) => url?.href;

describe("isNavigation", () => {
  it("recognises window.location and document.location, however spelt", () => {
    expect(isNavigation({ op: "window", target: "location" })).toBe(true);
    expect(isNavigation({ op: "document", target: "location" })).toBe(true);
    expect(isNavigation({ op: "window", target: "LOCATION" })).toBe(true);
    // invokeReceiver drops the first "-": this reaches `location` too.
    expect(isNavigation({ op: "window", target: "loc-ation" })).toBe(true);
    expect(isNavigation({ op: "window", target: "title" })).toBe(false);
    expect(isNavigation({ op: "tv", target: "location" })).toBe(false);
  });
});

describe("allowedLocation", () => {
  it("follows same-origin URLs and relative paths by default", () => {
    onPage();
    expect(href(allowedLocation("/shapes", undefined))).toBe("https://chat.example/shapes");
    expect(href(allowedLocation("https://chat.example/x", undefined))).toBe(
      "https://chat.example/x",
    );
    expect(href(allowedLocation("?channels=lobby", undefined))).toBe(
      "https://chat.example/chat?channels=lobby",
    );
  });

  it("ignores other origins, protocol-relative URLs and script or data URLs", () => {
    onPage();
    for (const target of [
      "https://evil.example/x",
      "//evil.example/x",
      "http://chat.example/x", // another scheme is another origin
      "javascript:alert(1)",
      " JavaScript:alert(1)",
      "data:text/html,<script>alert(1)</script>",
      "",
    ]) {
      expect(allowedLocation(target, undefined), target).toBeUndefined();
    }
  });

  it("ignores bodies that are not strings", () => {
    onPage();
    expect(allowedLocation({ href: "/x" }, undefined)).toBeUndefined();
    expect(allowedLocation(null, undefined)).toBeUndefined();
  });

  it("follows the origins or predicate it is given", () => {
    onPage();
    const docs = ["https://docs.example"];
    expect(href(allowedLocation("https://docs.example/a", docs))).toBe("https://docs.example/a");
    // A list replaces the default: the page's own origin must then be listed to stay allowed.
    expect(allowedLocation("/shapes", docs)).toBeUndefined();
    const anyHttps = (url: URL) => url.protocol === "https:";
    expect(href(allowedLocation("https://evil.example/", anyHttps))).toBe("https://evil.example/");
    // Never anything but http(s), whatever the predicate says.
    expect(allowedLocation("javascript:alert(1)", () => true)).toBeUndefined();
  });

  it("uses the base URL's origin under Node and nothing without one", () => {
    expect(href(allowedLocation("/x", undefined, "http://h/"))).toBe("http://h/x");
    expect(allowedLocation("https://evil.example/x", undefined, "http://h/")).toBeUndefined();
    expect(allowedLocation("/x", undefined)).toBeUndefined();
  });
});
