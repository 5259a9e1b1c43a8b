import { parseFrameData } from "../wire/frame";

export interface ReadFrame {
  id: number;
  channel: string | undefined;
  selector: string;
  json: string;
  /** The parsed body, or null when it is empty. */
  body: unknown;
}

/**
 * Reads an event stream frame by frame for tests: `next()` resolves with the next complete frame,
 * `until(predicate)` with the first matching one (frames before it are kept in `seen`).
 */
export class FrameReader {
  readonly seen: ReadFrame[] = [];
  private buffer = "";
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly decoder = new TextDecoder();

  constructor(stream: ReadableStream<Uint8Array>) {
    this.reader = stream.getReader();
  }

  async next(): Promise<ReadFrame> {
    for (;;) {
      const end = this.buffer.indexOf("\n\n");
      if (end !== -1) {
        const raw = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        const frame = parseRawFrame(raw);
        this.seen.push(frame);
        return frame;
      }
      const { value, done } = await this.reader.read();
      if (done) throw new Error("stream ended");
      this.buffer += this.decoder.decode(value, { stream: true });
    }
  }

  async until(predicate: (frame: ReadFrame) => boolean): Promise<ReadFrame> {
    for (;;) {
      const frame = await this.next();
      if (predicate(frame)) return frame;
    }
  }

  /** Resolves true when the server ends the stream. */
  async ended(): Promise<boolean> {
    for (;;) {
      const { done } = await this.reader.read();
      if (done) return true;
    }
  }

  /** Everything not yet read as frames, as raw text, once the server ends the stream. */
  async rest(): Promise<string> {
    for (;;) {
      const { value, done } = await this.reader.read();
      if (done) return this.buffer + this.decoder.decode();
      this.buffer += this.decoder.decode(value, { stream: true });
    }
  }

  cancel(): Promise<void> {
    return this.reader.cancel();
  }
}

function parseRawFrame(raw: string): ReadFrame {
  const lines = raw.split("\n");
  const id = Number(lines.find((line) => line.startsWith("id: "))?.slice(4));
  const dataLines = lines.filter((line) => line.startsWith("data: "));
  if (dataLines.length !== 1) throw new Error(`expected one data line, got ${JSON.stringify(raw)}`);
  const { channel, selector, json } = parseFrameData(dataLines[0]!.slice(6));
  return { id, channel, selector, json, body: json === "" ? null : (JSON.parse(json) as unknown) };
}
