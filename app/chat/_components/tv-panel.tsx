/** `/tv.watch <url-or-text>`: shows an image, a video or a caption on a small TV; `/tv.off` ends it. */
export function TvPanel({ content, onClose }: { content: string | null; onClose: () => void }) {
  if (content === null) return null;
  const isUrl = /^https?:\/\/\S+$/iu.test(content) || content.startsWith("/");
  const isImage = isUrl && /\.(png|jpe?g|gif|webp|svg)(\?.*)?$/iu.test(content);
  const isVideo = isUrl && /\.(mp4|webm|ogg)(\?.*)?$/iu.test(content);
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
        {isImage ? (
          // eslint-disable-next-line @next/next/no-img-element -- any URL a user shares
          <img src={content} alt="Shared on the TV" className="max-h-56 object-contain" />
        ) : isVideo ? (
          <video src={content} autoPlay muted controls className="max-h-56" />
        ) : isUrl ? (
          <a
            href={content}
            target="_blank"
            rel="noreferrer noopener"
            className="px-6 text-center font-mono text-sm break-all text-emerald-300 underline"
          >
            {content}
          </a>
        ) : (
          <p
            data-testid="tv-text"
            className="px-6 text-center font-mono text-xl tracking-wide text-emerald-300 [text-shadow:0_0_8px_rgb(16_185_129/.7)]"
          >
            {content}
          </p>
        )}
      </div>
    </section>
  );
}
