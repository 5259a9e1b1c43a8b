/**
 * One notification's share of a committed batch: the entries at `offset … offset + count - 1`,
 * their bodies inline (`\n<body>` each) or, when `bodies` is empty, by reference (read from the log).
 */
export interface BatchChunk {
  offset: number;
  count: number;
  bodies: string;
}

/**
 * Splits a batch's encoded bodies, in order, into payloads carrying at most `limitBytes` of bodies
 * each, measured in bytes (NOTIFY refuses 8,000). A body over the limit on its own travels by
 * reference; neighbouring ones share one reference. One commit then sends a few notifications
 * instead of one per message, and nothing a listener needs is left out of them but the big bodies.
 */
export function planChunks(bodies: readonly string[], limitBytes: number): BatchChunk[] {
  const chunks: BatchChunk[] = [];
  let open: { chunk: BatchChunk; bytes: number; inline: boolean } | undefined;
  bodies.forEach((body, offset) => {
    const bytes = Buffer.byteLength(body, "utf8") + 1;
    const inline = bytes <= limitBytes;
    const fits = open !== undefined && open.inline === inline && open.bytes + bytes <= limitBytes;
    if (open && (fits || (!inline && !open.inline))) {
      open.chunk.count++;
      if (inline) open.chunk.bodies += `\n${body}`;
      open.bytes += inline ? bytes : 0;
      return;
    }
    const chunk = { offset, count: 1, bodies: inline ? `\n${body}` : "" };
    chunks.push(chunk);
    open = { chunk, bytes: inline ? bytes : 0, inline };
  });
  return chunks;
}

/** How many entries of the plan travel by reference (the `spilledPayloads` counter). */
export function countByReference(chunks: readonly BatchChunk[]): number {
  return chunks.reduce((sum, chunk) => sum + (chunk.bodies === "" ? chunk.count : 0), 0);
}
