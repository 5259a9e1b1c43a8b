import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_TV_INPUT, toHttpUrl, toTvContent } from "./tv-content";

const page = "https://chat.example/chat";

describe("toTvContent", () => {
  it("shows images, videos and links from http(s) URLs", () => {
    expect(toTvContent("https://img.example/cat.PNG?size=2", page)).toEqual({
      kind: "image",
      url: "https://img.example/cat.PNG?size=2",
    });
    expect(toTvContent(" http://v.example/clip.webm ", page)).toEqual({
      kind: "video",
      url: "http://v.example/clip.webm",
    });
    expect(toTvContent("https://docs.example/page", page)).toEqual({
      kind: "link",
      url: "https://docs.example/page",
    });
    expect(toTvContent("/img/cat.gif", page)).toEqual({
      kind: "image",
      url: "https://chat.example/img/cat.gif",
    });
  });

  it("plays media from this site's static folders only; its other paths are links", () => {
    expect(toTvContent("/media/intro.mp4", page)).toMatchObject({ kind: "video" });
    for (const path of ["/api/auth/x.png", "/event-stream.png", "https://chat.example/x.mp4"])
      expect(toTvContent(path, page), path).toMatchObject({ kind: "link" });
    expect(toTvContent("https://cdn.example/api/x.png", page)).toMatchObject({ kind: "image" });
  });

  it("plays YouTube links embedded, through the privacy-enhanced host", () => {
    const embed = "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ";
    for (const link of [
      "https://youtu.be/dQw4w9WgXcQ",
      "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42",
      "https://m.youtube.com/watch?v=dQw4w9WgXcQ",
      "https://youtube.com/shorts/dQw4w9WgXcQ",
      "https://www.youtube.com/embed/dQw4w9WgXcQ",
    ])
      expect(toTvContent(link), link).toEqual({
        kind: "youtube",
        videoId: "dQw4w9WgXcQ",
        url: embed,
      });
    // Not an 11-character id, or not YouTube: a plain link, never a frame.
    for (const link of [
      "https://youtu.be/short",
      "https://www.youtube.com/watch?v=dQw4w9WgXcQ%22onload",
      "https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
      "https://www.youtube.com/channel/UCdQw4w9WgXcQ",
    ])
      expect(toTvContent(link).kind, link).toBe("link");
  });

  it("never makes a script or data URL a source or link", () => {
    for (const input of [
      "javascript:alert(1)//.png",
      "JAVASCRIPT:alert(1)",
      "data:image/png;base64,AAAA",
      "data:text/html,<script>alert(1)</script>",
      "vbscript:msgbox(1)",
      "blob:https://chat.example/uuid",
      "https://ok.example/a b.png",
    ]) {
      expect(toTvContent(input, page).kind, input).toBe("text");
    }
  });

  it("shows anything else as a caption", () => {
    expect(toTvContent("Live from the lab", page)).toEqual({
      kind: "text",
      text: "Live from the lab",
    });
  });

  it("considers only the first MAX_TV_INPUT characters of a 1 MB body", () => {
    const url = `https://img.example/${"a".repeat(1_000_000)}.png`;
    expect(toTvContent(url, page)).toEqual({
      kind: "text",
      text: `${url.slice(0, MAX_TV_INPUT)}…`,
    });
    // The shape that made the old regex quadratic: many ".png?" with no end in sight.
    const pathological = `https://x.example/${".png?".repeat(200_000)} `;
    expect(toTvContent(pathological, page).kind).toBe("text");
  });

  it("gives only http(s) URLs for any input", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.boolean(), (text, withScheme) => {
        const input = withScheme ? `https://h.example/${text}` : text;
        const content = toTvContent(input, page);
        if (content.kind !== "text") expect(new URL(content.url).protocol).toMatch(/^https?:$/);
      }),
    );
  });
});

describe("toHttpUrl", () => {
  it("needs a page to resolve site paths", () => {
    expect(toHttpUrl("/x.png")).toBeUndefined();
    expect(toHttpUrl("/x.png", page)?.href).toBe("https://chat.example/x.png");
  });
});
