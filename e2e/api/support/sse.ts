/** A minimal raw SSE reader over fetch, to check the bytes on the wire. */

export interface SseFrame {
  /** The frame exactly as received, including the blank line. */
  raw: string;
  id: string | undefined;
  data: string;
  /** Text of `data` before the first space (`[channel@]op.target`). */
  selector: string;
  /** Text of `data` after the first space. */
  json: string;
}

export interface SseStream {
  response: Response;
  /** Every frame received so far (NOP `\n` keep-alives are not frames and are skipped). */
  frames: SseFrame[];
  /** The next frame not yet returned by next(); rejects after `timeoutMs` or when the stream ends. */
  next(timeoutMs?: number): Promise<SseFrame>;
  /** Frames until one whose selector ends with `selector` (that one included). */
  until(selector: string, timeoutMs?: number): Promise<SseFrame[]>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

export function parseFrame(raw: string): SseFrame {
  let id: string | undefined;
  const data: string[] = [];
  for (const line of raw.split("\n")) {
    if (line.startsWith("id:")) id = line.slice(3).replace(/^ /u, "");
    else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /u, ""));
  }
  const joined = data.join("\n");
  const space = joined.indexOf(" ");
  return {
    raw,
    id,
    data: joined,
    selector: space >= 0 ? joined.slice(0, space) : joined,
    json: space >= 0 ? joined.slice(space + 1) : "",
  };
}

/** Opens `GET url` and, when it answers 200, reads frames in the background. */
export async function openSse(
  url: string,
  headers: Record<string, string> = {},
): Promise<SseStream> {
  const controller = new AbortController();
  const response = await fetch(url, {
    headers: { Accept: "text/event-stream", ...headers },
    signal: controller.signal,
  });
  const frames: SseFrame[] = [];
  let cursor = 0;
  let done = false;
  let failure: unknown;
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const waiter of waiters) waiter();
  };

  const ended = (async () => {
    if (!response.ok || !response.body) return;
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    try {
      for (;;) {
        const { value, done: finished } = await reader.read();
        if (finished) break;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const raw = buffer.slice(0, end + 2);
          buffer = buffer.slice(end + 2);
          if (raw.trim() !== "") frames.push(parseFrame(raw));
        }
        // A lone "\n" NOP between frames carries nothing.
        if (buffer === "\n") buffer = "";
        wake();
      }
    } catch (error) {
      if (!controller.signal.aborted) failure = error;
    } finally {
      done = true;
      wake();
    }
  })();

  const next = (timeoutMs = 10_000): Promise<SseFrame> =>
    new Promise((resolve, reject) => {
      const check = () => {
        if (cursor < frames.length) {
          finish();
          resolve(frames[cursor++]!);
        } else if (done) {
          finish();
          reject(
            new Error(`the stream ended${failure instanceof Error ? `: ${failure.message}` : ""}`),
          );
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`no SSE frame within ${timeoutMs} ms (got ${frames.length})`));
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });

  return {
    response,
    frames,
    next,
    async until(selector, timeoutMs) {
      const seen: SseFrame[] = [];
      for (;;) {
        const frame = await next(timeoutMs);
        seen.push(frame);
        if (frame.selector.endsWith(selector)) return seen;
      }
    },
    ended,
    close: () => controller.abort(),
  };
}
