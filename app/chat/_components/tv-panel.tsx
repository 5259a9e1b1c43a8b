import type { TvContent } from "./tv-content";

/** `/tv.watch <url-or-text>`: shows an image, a video or a caption on a small TV; `/tv.off` ends it. */
export function TvPanel({ content, onClose }: { content: TvContent | null; onClose: () => void }) {
  if (content === null) return null;
  return (
    <section
      id="tv"
      aria-label="TV"
      className="relative mx-3 mt-3 overflow-hidden rounded-xl border-4 border-slate-800 bg-slate-900 shadow-lg"
    >
      <button
        type="button"
        onClick={onClose}
        aria-label="Turn the TV off"
        className="absolute top-1.5 right-2 z-10 rounded bg-black/40 px-2 text-sm text-white/80 hover:text-white"
      >
        ×
      </button>
      <div className="grid aspect-[16/7] max-h-56 w-full place-items-center">
        <Screen content={content} />
      </div>
    </section>
  );
}

/** Every `src` and `href` here is an http(s) URL: `toTvContent` makes nothing else a URL. */
function Screen({ content }: { content: TvContent }) {
  switch (content.kind) {
    case "image":
      return (
        // eslint-disable-next-line @next/next/no-img-element -- any URL a user shares
        <img
          src={content.url}
          alt="Shared on the TV"
          referrerPolicy="no-referrer"
          className="max-h-56 object-contain"
        />
      );
    case "video":
      return <video src={content.url} autoPlay muted controls className="max-h-56" />;
    case "link":
      return (
        <a
          href={content.url}
          target="_blank"
          rel="noreferrer noopener"
          className="px-6 text-center font-mono text-sm break-all text-emerald-300 underline"
        >
          {content.url}
        </a>
      );
    case "text":
      return (
        <p
          data-testid="tv-text"
          className="px-6 text-center font-mono text-xl tracking-wide break-words text-emerald-300 [text-shadow:0_0_8px_rgb(16_185_129/.7)]"
        >
          {content.text}
        </p>
      );
  }
}
