import { describe, expect, it, vi } from "vitest";
import { createEventStream } from "./event-stream-sink";

const bytes = (n: number) => new Uint8Array(n);

describe("createEventStream", () => {
  it("delivers the frames of one turn as one chunk, in order, and later ones after", async () => {
    const { stream, sink } = createEventStream(1024, () => undefined);
    sink.write(new TextEncoder().encode("id: 1\ndata: a \n\n"));
    sink.write(new TextEncoder().encode("id: 2\ndata: b \n\n"));
    await new Promise((resolve) => setImmediate(resolve));
    sink.write(new TextEncoder().encode("id: 3\ndata: c \n\n"));
    sink.close();
    const chunks: string[] = [];
    const reader = stream.getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read())
      chunks.push(new TextDecoder().decode(read.value));
    expect(chunks).toEqual(["id: 1\ndata: a \n\nid: 2\ndata: b \n\n", "id: 3\ndata: c \n\n"]);
  });

  it("disconnects a subscriber that stops reading instead of buffering without bound", () => {
    const { sink } = createEventStream(100, () => undefined);
    expect(sink.write(bytes(60))).toBe(true);
    expect(sink.write(bytes(30))).toBe(true);
    expect(sink.write(bytes(30))).toBe(false);
    expect(sink.isClosed).toBe(true);
    expect(sink.overflowed).toBe(true);
    expect(sink.write(bytes(1))).toBe(false);
  });

  it("keeps a subscriber that reads, however much passes through over time", async () => {
    const { stream, sink } = createEventStream(100, () => undefined);
    const reader = stream.getReader();
    for (let turn = 0; turn < 20; turn++) {
      expect(sink.write(bytes(40))).toBe(true);
      expect(sink.write(bytes(40))).toBe(true);
      await new Promise((resolve) => setImmediate(resolve));
      expect((await reader.read()).value?.byteLength).toBe(80);
    }
    expect(sink.isClosed).toBe(false);
  });

  it("counts what the stream still holds from earlier turns against the limit", async () => {
    const { sink } = createEventStream(100, () => undefined);
    expect(sink.write(bytes(70))).toBe(true);
    await new Promise((resolve) => setImmediate(resolve));
    expect(sink.write(bytes(20))).toBe(true);
    await new Promise((resolve) => setImmediate(resolve));
    expect(sink.write(bytes(20))).toBe(false);
    expect(sink.overflowed).toBe(true);
  });

  it("lets one frame larger than the buffer through when nothing is queued", () => {
    const { sink } = createEventStream(100, () => undefined);
    expect(sink.write(bytes(500))).toBe(true);
    expect(sink.write(bytes(1))).toBe(false);
  });

  it("reports the reader going away", async () => {
    const onCancel = vi.fn();
    const { stream, sink } = createEventStream(100, onCancel);
    await stream.cancel();
    expect(onCancel).toHaveBeenCalledOnce();
    expect(sink.write(bytes(1))).toBe(false);
  });
});
