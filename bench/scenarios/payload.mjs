// @ts-check
/** Payload sizes across instances: 100 B, 8 KB (over NOTIFY's 8,000-byte limit) and 1 MB. */
import { paced, withPair } from "./pair.mjs";

const SIZES = [
  { size: 100, label: "100 B", rate: 100, durationMs: 3000 },
  { size: 8 * 1024, label: "8 KB", rate: 100, durationMs: 3000 },
  { size: 1024 * 1024, label: "1 MB", rate: 5, durationMs: 4000 },
];

export async function payloadScenario(ctx) {
  const { log } = ctx;
  const result = {};
  for (const kind of ctx.pairServers) {
    if (ctx.unavailable[kind]) {
      log(`payload sizes: ${kind} skipped (${ctx.unavailable[kind]})`);
      result[kind] = { skipped: ctx.unavailable[kind] };
      continue;
    }
    log(`payload sizes: ${kind}`);
    try {
      result[kind] = await withPair(ctx, kind, "payload", async (pair) => {
        const runs = [];
        for (const { size, label, rate, durationMs } of SIZES) {
          const run = {
            label,
            ...(await paced(pair, { rate, durationMs, size, drainMs: 30_000 })),
          };
          log(
            `  ${label}: ${run.delivered}/${run.expected} delivered, p50 ${run.p50.toFixed(1)} ms, p99 ${run.p99.toFixed(1)} ms${run.publishError ? `, publish error: ${run.publishError}` : ""}`,
          );
          runs.push(run);
        }
        return { subscribers: pair.subscribers, runs };
      });
    } catch (error) {
      log(`  failed: ${error.message}`);
      result[kind] = { error: String(error.message) };
    }
  }
  return result;
}
