/**
 * The `<meta>` the root layout writes with the event stream's path (`SSE_STREAM_PATH`), so that
 * the pages open the stream where `npm start` serves it.
 */
export const STREAM_PATH_META = "server-events-stream-path";

/** The path the page was told, or ServiceStack's. */
export function streamPathOfPage(): string {
  const meta = document.querySelector<HTMLMetaElement>(`meta[name="${STREAM_PATH_META}"]`);
  return meta?.content || "/event-stream";
}
