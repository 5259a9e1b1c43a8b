import { describe, expect, it } from "vitest";
import { BatchingSink } from "./batching-sink";

/** A sink whose downstream queue the test sets, recording every chunk it is handed. */
class RecordingSink extends BatchingSink {
  readonly sent: Uint8Array[] = [];
  queued = 0;

  protected queuedBytes(): number {
    return this.queued;
  }
  protected get isSending(): boolean {
    return true;
  }
  protected send(chunk: Uint8Array): void {
    this.sent.push(chunk);
  }
  protected end(): void {}

  flushNow(): void {
    this.flush();
  }
}

const frame = (bytes: number) => new Uint8Array(bytes).fill(0x61);

describe("BatchingSink", () => {
  it("joins a small batch into one chunk for a subscriber that keeps up", () => {
    const sink = new RecordingSink(1 << 20);
    const frames = [frame(100), frame(200), frame(300)];
    for (const f of frames) sink.write(f);
    sink.flushNow();
    expect(sink.sent.map((chunk) => chunk.byteLength)).toEqual([600]);
  });

  it("hands a subscriber that is behind the frames themselves, shared, not a copy", () => {
    const sink = new RecordingSink(1 << 20);
    sink.queued = 1;
    const frames = [frame(100), frame(200), frame(300)];
    for (const f of frames) sink.write(f);
    sink.flushNow();
    expect(sink.sent).toHaveLength(3);
    sink.sent.forEach((chunk, i) => expect(chunk).toBe(frames[i]));
  });

  it("never copies a batch bigger than 64 KB, even for one that keeps up", () => {
    const sink = new RecordingSink(1 << 20);
    const frames = [frame(40_000), frame(40_000)];
    for (const f of frames) sink.write(f);
    sink.flushNow();
    expect(sink.sent).toEqual(frames);
    sink.sent.forEach((chunk, i) => expect(chunk).toBe(frames[i]));
  });
});
