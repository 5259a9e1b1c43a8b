"use client";

import { useId, useState } from "react";
import type { TvContent } from "./tv-content";

/**
 * `/tv.watch <url-or-text>`: shows an image, a video or a caption on a small TV; `/tv.off` ends it.
 * It always takes its own place beside or above the log, never over it: on wide screens a screen
 * in the side column, on phones a one-line bar that opens into a small screen.
 */
export function TvPanel({
  content,
  onClose,
  asBar,
}: {
  content: TvContent;
  onClose: () => void;
  asBar: boolean;
}) {
  const [isOpen, setOpen] = useState(!asBar);
  const screenId = useId();
  return (
    <section
      id="tv"
      aria-label="TV"
      className={`overflow-hidden rounded-xl border-slate-800 bg-slate-900 shadow ${asBar ? "mx-2 mt-2 border-2" : "m-3 border-4"}`}
    >
      <div className="flex items-center gap-2 px-2.5 py-1 text-xs text-white/80">
        <span className="rounded bg-white/10 px-1 font-semibold tracking-wider" aria-hidden>
          TV
        </span>
        {isOpen ? (
          <span className="flex-1" />
        ) : (
          <span
            data-testid={content.kind === "text" ? "tv-text" : undefined}
            className="min-w-0 flex-1 truncate font-mono text-emerald-300"
          >
            {summaryOf(content)}
          </span>
        )}
        {asBar && (
          <button
            type="button"
            onClick={() => setOpen((open) => !open)}
            aria-expanded={isOpen}
            aria-controls={screenId}
            className="rounded px-1.5 py-0.5 hover:bg-white/10 hover:text-white"
          >
            {isOpen ? "Hide" : "Show"}
          </button>
        )}
        <button
          type="button"
          onClick={onClose}
          aria-label="Turn the TV off"
          className="rounded px-1.5 py-0.5 text-sm hover:bg-white/10 hover:text-white"
        >
          ×
        </button>
      </div>
      {isOpen && (
        <div
          id={screenId}
          className={`grid w-full place-items-center ${asBar ? "h-32" : "aspect-video"}`}
        >
          {/* A new picture gets a fresh chance to load. */}
          <Screen key={content.kind === "text" ? content.text : content.url} content={content} />
        </div>
      )}
    </section>
  );
}

const kindLabel = {
  image: "An image",
  video: "A video",
  youtube: "A YouTube video",
  link: "A link",
} as const;

/** What the closed bar says: the caption itself, or what kind of thing is on. */
function summaryOf(content: TvContent): string {
  if (content.kind === "text") return content.text;
  return `${kindLabel[content.kind]} from ${new URL(content.url).host}`;
}

/** Every `src` and `href` here is an http(s) URL: `toTvContent` makes nothing else a URL. */
function Screen({ content }: { content: TvContent }) {
  // A broken or refused URL must not leave an empty black box: say so, and link to it.
  const [failed, setFailed] = useState(false);
  if (failed && content.kind !== "text") return <Fallback url={content.url} />;
  switch (content.kind) {
    case "image":
      return (
        // eslint-disable-next-line @next/next/no-img-element -- any URL a user shares
        <img
          src={content.url}
          alt="Shared on the TV"
          referrerPolicy="no-referrer"
          onError={() => setFailed(true)}
          className="max-h-full object-contain"
        />
      );
    case "video":
      return (
        <video
          src={content.url}
          autoPlay
          muted
          controls
          onError={() => setFailed(true)}
          className="max-h-full"
        />
      );
    case "youtube":
      return (
        <iframe
          src={content.url}
          title="YouTube video on the TV"
          allow="encrypted-media; picture-in-picture; fullscreen"
          referrerPolicy="strict-origin-when-cross-origin"
          sandbox="allow-scripts allow-same-origin allow-presentation"
          className="h-full w-full border-0"
        />
      );
    case "link":
      return <TvLink url={content.url} />;
    case "text":
      return (
        <p
          data-testid="tv-text"
          className="px-4 text-center font-mono text-base tracking-wide break-words text-emerald-300 [text-shadow:0_0_8px_rgb(16_185_129/.7)] sm:text-lg"
        >
          {content.text}
        </p>
      );
  }
}

function Fallback({ url }: { url: string }) {
  return (
    <div data-testid="tv-fallback" className="px-4 text-center text-sm text-slate-300">
      <p>This could not be played here.</p>
      <TvLink url={url} />
    </div>
  );
}

function TvLink({ url }: { url: string }) {
  return (
    <a
      href={url}
      target="_blank"
      rel="noreferrer noopener"
      className="font-mono text-xs break-all text-emerald-300 underline"
    >
      {url}
    </a>
  );
}
