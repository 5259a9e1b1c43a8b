// @ts-check
/**
 * The default limits under a legitimate load (issue 9): every other scenario lifts the per-caller
 * limits, because it measures capacity (one publisher sends as fast as it is answered; thousands of
 * cookieless subscribers come from one address). Here our app runs with its defaults — a
 * subscription may publish 1,000 messages a second, a burst of 2,000 — and one subscription
 * publishes at exactly that rate for the configured seconds, to subscribers on the same instance
 * (app-node) and on another (app-node-pg). Met when every publish is taken: none refused, none lost.
 */
import { selected } from "../lib/config.mjs";
import { paced, withPair } from "./pair.mjs";

export const DEFAULTS_RATE = 1000;

/** Empty values count as unset: the app's own defaults apply. */
const DEFAULT_LIMITS = {
  SSE_PUBLISH_RATE_PER_SECOND: "",
  SSE_MAX_STREAMS_PER_ADDRESS: "",
  SSE_STREAM_OPENS_PER_SECOND: "",
};

export async function defaultsScenario(ctx) {
  const { config, log } = ctx;
  /** @type {Record<string, any>} */
  const result = {};
  for (const kind of ["app-node", "app-node-pg"].filter(selected)) {
    if (ctx.unavailable[kind]) {
      result[kind] = { skipped: ctx.unavailable[kind] };
      continue;
    }
    log(`defaults: ${kind} with its default limits, ${DEFAULTS_RATE} msg/s from one subscription`);
    try {
      const run = await withPair(
        ctx,
        kind,
        "defaults",
        async (pair) => {
          // A warm-up second at 100 msg/s first, as the cross scenario's 100 msg/s step is for
          // its 1,000: otherwise the p99 shows a fresh server's first second (JIT, pools). What
          // the warm-up refused or lost still counts.
          const warm = await paced(pair, { rate: 100, durationMs: 1000 });
          const run = await paced(pair, {
            rate: DEFAULTS_RATE,
            durationMs: config.crossSeconds * 1000,
          });
          return {
            ...run,
            publishFailed: run.publishFailed + warm.publishFailed,
            publishError: run.publishError ?? warm.publishError,
            lost: run.lost + warm.lost,
          };
        },
        { env: DEFAULT_LIMITS },
      );
      result[kind] = run;
      log(
        `  achieved ${run.achievedRate.toFixed(0)}/s, refused ${run.publishFailed}${run.publishError ? ` (${run.publishError})` : ""}, lost ${run.lost}, p99 ${run.p99.toFixed(1)} ms`,
      );
    } catch (error) {
      log(`  failed: ${error.message}`);
      result[kind] = { error: String(error.message) };
    }
  }
  return result;
}
