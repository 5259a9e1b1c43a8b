// @ts-check
/**
 * What one chunk costs on its way through a web `ReadableStream` piped into a `WritableStream`, as
 * Next pipes a route handler's body to the socket (`pipeToNodeResponse`), with and without
 * AsyncLocalStorage enabled: Next runs several, and once any is enabled every promise the pipe
 * creates runs Node's async hooks. 1,000 streams, one 120-byte chunk each per turn, 300 turns.
 *
 *   node bench/probes/pipe-cost.mjs      # prints µs per chunk for 0, 1, 4 and 8 storages
 *
 * It prices what no code of ours can avoid under `next start` (docs/benchmarks.md, "Where we
 * stand"): the Node server writes to the socket and pays none of it.
 */
import { AsyncLocalStorage } from "node:async_hooks";

const STREAMS = 1000;
const TURNS = 300;

async function chunkCostMicros(storageCount) {
  const storages = Array.from({ length: storageCount }, () => new AsyncLocalStorage());
  /** Runs `work` inside every storage, as a request handler runs inside Next's. */
  const inContext = (work) => storages.reduce((inner, als) => () => als.run({}, inner), work)();
  /** @type {ReadableStreamDefaultController<Uint8Array>[]} */
  const controllers = [];
  let written = 0;
  inContext(() => {
    for (let i = 0; i < STREAMS; i++) {
      const body = new ReadableStream({ start: (c) => void controllers.push(c), pull: () => {} });
      void body.pipeTo(
        new WritableStream({ write: async (chunk) => void (written += chunk.length) }),
      );
    }
  });
  const chunk = new Uint8Array(120);
  await new Promise((resolve) => setTimeout(resolve, 50));
  const started = performance.now();
  for (let turn = 0; turn < TURNS; turn++)
    await new Promise((resolve) =>
      setImmediate(() => {
        for (const controller of controllers) controller.enqueue(chunk);
        resolve(undefined);
      }),
    );
  await new Promise((resolve) => setTimeout(resolve, 10));
  const micros = ((performance.now() - started - 10) * 1000) / (STREAMS * TURNS);
  if (written !== STREAMS * TURNS * chunk.length) throw new Error("not every chunk was written");
  for (const controller of controllers) controller.close();
  return micros;
}

for (const count of [0, 1, 4, 8]) {
  // A fresh process per count would be cleaner; enabling storages only ever adds hooks, so the
  // counts run in increasing order.
  console.log(
    `${count} AsyncLocalStorage: ${(await chunkCostMicros(count)).toFixed(1)} µs per chunk`,
  );
}
