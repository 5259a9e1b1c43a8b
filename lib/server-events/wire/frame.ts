/**
 * The bytes of one Server Events frame, exactly as ServiceStack writes them:
 * `id: N\ndata: [channel@]selector json\n\n`, LF only, one `data:` line, and the space after the
 * selector even when the body is empty. Callers validate channel, selector and JSON first
 * (see ./validate.ts); this module only formats.
 * @see docs/protocol.md, "Frames"
 */
export function formatFrame(id: number, wireSelector: string, json: string): string {
  return `id: ${id}\ndata: ${wireSelector} ${json}\n\n`;
}

/**
 * `retry: N` on its own: the reconnection delay an EventSource uses once this stream ends. Written
 * just before the server ends a stream on purpose (its maximum duration, a shutdown).
 * @see docs/protocol.md, "Streams the server ends"
 */
export function formatRetry(retryMs: number): string {
  return `retry: ${Math.max(0, Math.round(retryMs))}\n\n`;
}

/** `channel@selector` for channel messages and presence; the bare selector otherwise. */
export function toWireSelector(selector: string, channel: string | undefined): string {
  return channel === undefined ? selector : `${channel}@${selector}`;
}

/** Parsed view of a frame's data line, used by tests and by anything that reads our own frames. */
export interface ParsedFrameData {
  channel: string | undefined;
  selector: string;
  json: string;
}

export function parseFrameData(data: string): ParsedFrameData {
  const space = data.indexOf(" ");
  const head = space === -1 ? data : data.slice(0, space);
  const json = space === -1 ? "" : data.slice(space + 1);
  const at = head.indexOf("@");
  return at === -1
    ? { channel: undefined, selector: head, json }
    : { channel: head.slice(0, at), selector: head.slice(at + 1), json };
}
