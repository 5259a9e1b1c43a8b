import { createParser, type EventSourceMessage } from "eventsource-parser";

/** Everything an independent, spec-following SSE parser saw in a byte stream. */
export interface ParsedStream {
  events: EventSourceMessage[];
  /** Unknown fields and bad `retry:` values: any of them means a field got into the stream. */
  errors: string[];
  comments: string[];
  retries: number[];
}

/**
 * Feeds `eventsource-parser` (not our own reader) the way a browser receives a stream: bytes
 * decoded as UTF-8 chunk by chunk, so a frame split anywhere — even inside a character — is
 * reassembled exactly as a client would.
 */
export function createSseCollector(): ParsedStream & { feed(bytes: Uint8Array): void } {
  const parsed: ParsedStream = { events: [], errors: [], comments: [], retries: [] };
  const decoder = new TextDecoder();
  const parser = createParser({
    onEvent: (event) => parsed.events.push(event),
    onError: (error) => parsed.errors.push(`${error.type}: ${error.line ?? error.message}`),
    onComment: (comment) => parsed.comments.push(comment),
    onRetry: (retry) => parsed.retries.push(retry),
  });
  return Object.assign(parsed, {
    feed: (bytes: Uint8Array) => parser.feed(decoder.decode(bytes, { stream: true })),
  });
}

/** Parses `text` as UTF-8 bytes cut at the given offsets (any order, out-of-range ones ignored). */
export function parseSse(text: string, cuts: readonly number[] = []): ParsedStream {
  const bytes = new TextEncoder().encode(text);
  const offsets = [...new Set(cuts.filter((cut) => cut > 0 && cut < bytes.length))].sort(
    (a, b) => a - b,
  );
  const collector = createSseCollector();
  let start = 0;
  for (const end of [...offsets, bytes.length]) {
    collector.feed(bytes.subarray(start, end));
    start = end;
  }
  const { events, errors, comments, retries } = collector;
  return { events, errors, comments, retries };
}
