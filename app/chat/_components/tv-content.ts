import { isStaticFilePath } from "@/lib/server-events-client";

/** What the TV shows for a `/tv.watch` body. */
export type TvContent =
  | { kind: "image" | "video" | "link"; url: string }
  /** `url` is the privacy-enhanced embed (youtube-nocookie.com), the only frame the CSP allows. */
  | { kind: "youtube"; url: string; videoId: string }
  | { kind: "text"; text: string };

/**
 * Only this much of a `/tv.watch` body is considered. The parsing below is linear, but every
 * recipient's tab runs it, so a bound keeps a megabyte of text from costing anything; no real URL
 * or caption is longer.
 */
export const MAX_TV_INPUT = 2_000;

const imageExtensions = new Set(["png", "jpg", "jpeg", "gif", "webp", "svg"]);
const videoExtensions = new Set(["mp4", "webm", "ogg"]);

/** `png` for `/a/b.PNG`; `""` without an extension. */
function extensionOf(pathname: string): string {
  const slash = pathname.lastIndexOf("/");
  const dot = pathname.lastIndexOf(".");
  return dot > slash ? pathname.slice(dot + 1).toLowerCase() : "";
}

/**
 * An http(s) URL for `text`, or `undefined`. Absolute `http://`/`https://` URLs, and paths on
 * this site (`/img/cat.png`, resolved against `base`); never `javascript:`, `data:` or anything
 * else a browser would load or run from an `src` or `href`.
 */
export function toHttpUrl(text: string, base?: string): URL | undefined {
  if (text === "" || /\s/u.test(text)) return undefined;
  const isAbsolute = /^https?:\/\//iu.test(text);
  if (!isAbsolute && !(text.startsWith("/") && base !== undefined)) return undefined;
  let url: URL;
  try {
    url = new URL(text, base);
  } catch {
    return undefined;
  }
  return url.protocol === "http:" || url.protocol === "https:" ? url : undefined;
}

const youtubeVideoId = /^[A-Za-z0-9_-]{11}$/u;

/**
 * The video id of a YouTube link, as ServiceStack Chat plays them: `youtu.be/ID`,
 * `youtube.com/watch?v=ID`, `/embed/ID`, `/shorts/ID` (www. and m. too); `undefined` otherwise.
 */
function youtubeIdOf(url: URL): string | undefined {
  const host = url.hostname.toLowerCase().replace(/^(?:www\.|m\.)/u, "");
  const [first = "", second = ""] = url.pathname.split("/").filter(Boolean);
  let id: string | null | undefined;
  if (host === "youtu.be") id = first;
  else if (host === "youtube.com" || host === "youtube-nocookie.com")
    id =
      first === "watch"
        ? url.searchParams.get("v")
        : ["embed", "shorts"].includes(first)
          ? second
          : undefined;
  return id && youtubeVideoId.test(id) ? id : undefined;
}

/**
 * Classifies a `/tv.watch` body: an image or video URL becomes media, another URL a link,
 * anything else a caption. Linear in `MAX_TV_INPUT` whatever the input's length.
 *
 * @param base the page's URL, for site-relative paths
 */
export function toTvContent(input: string, base?: string): TvContent {
  if (input.length > MAX_TV_INPUT)
    return { kind: "text", text: `${input.slice(0, MAX_TV_INPUT)}…` };
  const text = input.trim();
  const url = toHttpUrl(text, base);
  if (url === undefined) return { kind: "text", text };
  const videoId = youtubeIdOf(url);
  if (videoId !== undefined)
    return { kind: "youtube", videoId, url: `https://www.youtube-nocookie.com/embed/${videoId}` };
  // On this site, only its static folders are media: any other path is an endpoint that every
  // viewer's browser would call with their cookies (a stream, an error in the log).
  const onThisSite = base !== undefined && url.origin === new URL(base).origin;
  if (onThisSite && !isStaticFilePath(url.pathname)) return { kind: "link", url: url.href };
  const extension = extensionOf(url.pathname);
  if (imageExtensions.has(extension)) return { kind: "image", url: url.href };
  if (videoExtensions.has(extension)) return { kind: "video", url: url.href };
  return { kind: "link", url: url.href };
}
