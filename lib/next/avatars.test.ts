import { describe, expect, it } from "vitest";
import { defaultProfileUrl } from "@/lib/server-events";
import { avatarUrl, handleAvatar } from "./avatars";

describe("avatars", () => {
  it("gives a short URL whose picture is the one the data URI holds", async () => {
    const url = avatarUrl("alice");
    expect(url).toMatch(/^\/avatars\/A\d{1,3}\.svg$/u);
    expect(url.length).toBeLessThan(25);
    const response = handleAvatar(url.slice("/avatars/".length));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/svg+xml");
    expect(response.headers.get("cache-control")).toContain("immutable");
    const svg = await response.text();
    expect(decodeURIComponent(defaultProfileUrl("alice").slice("data:image/svg+xml,".length))).toBe(
      svg,
    );
  });

  it("draws a question mark for names without a letter or digit", async () => {
    expect(avatarUrl("???")).toMatch(/^\/avatars\/_\d+\.svg$/u);
    expect(await handleAvatar(avatarUrl("???").slice(9)).text()).toContain(">?</text>");
  });

  it("answers 404 to anything it did not make, so nothing hostile becomes an SVG", () => {
    for (const file of [
      "A1",
      "A360.svg",
      "a12.svg",
      "AB1.svg",
      "A1.svg.svg",
      "<x>1.svg",
      "A%3C.svg",
      "A-1.svg",
    ])
      expect(handleAvatar(file).status, file).toBe(404);
  });
});
