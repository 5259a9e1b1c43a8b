import { Histogram } from "prom-client";
import type { BusObserver } from "@/lib/server-events-cluster";

/** The cluster bus's group commit, as histograms on `/metrics` (registered by app/_server/metrics.ts). */
export interface BusHistograms {
  batchSize: Histogram;
  commitSeconds: Histogram;
  waitSeconds: Histogram;
}

// Cached on globalThis like the provider, so dev reloads keep observing into the same histograms.
const globalCache = globalThis as unknown as { __serverEventsBusHistograms?: BusHistograms };

const SECONDS = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

function busHistograms(): BusHistograms {
  return (globalCache.__serverEventsBusHistograms ??= {
    batchSize: new Histogram({
      name: "server_events_publish_batch_size",
      help: "Messages (and logged control messages) committed together: one transaction on Postgres, one script on Redis",
      buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500],
      registers: [],
    }),
    commitSeconds: new Histogram({
      name: "server_events_publish_commit_seconds",
      help: "Time to commit one batch, round trip included",
      buckets: SECONDS,
      registers: [],
    }),
    waitSeconds: new Histogram({
      name: "server_events_publish_wait_seconds",
      help: "Time the oldest message of a batch waited for the batch before it to commit",
      buckets: SECONDS,
      registers: [],
    }),
  });
}

/** Every histogram above, for registering on a registry. */
export function allBusHistograms(): Histogram[] {
  const { batchSize, commitSeconds, waitSeconds } = busHistograms();
  return [batchSize, commitSeconds, waitSeconds];
}

/** Handed to the Postgres and Redis providers (`observer`); a memory deployment never calls it. */
export const busObserver: BusObserver = {
  batchCommitted({ size, waitMs, commitMs }) {
    const histograms = busHistograms();
    histograms.batchSize.observe(size);
    histograms.commitSeconds.observe(commitMs / 1000);
    histograms.waitSeconds.observe(waitMs / 1000);
  },
};
