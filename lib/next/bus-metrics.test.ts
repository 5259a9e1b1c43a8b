import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { allBusHistograms, busObserver } from "./bus-metrics";

describe("bus metrics", () => {
  it("turns each committed batch into histogram observations", async () => {
    const registry = new Registry();
    for (const histogram of allBusHistograms()) {
      histogram.reset();
      registry.registerMetric(histogram);
    }
    busObserver.batchCommitted!({ size: 12, waitMs: 3, commitMs: 4 });
    busObserver.batchCommitted!({ size: 1, waitMs: 0, commitMs: 1.5 });
    const text = await registry.metrics();
    expect(text).toContain('server_events_publish_batch_size_bucket{le="1"} 1');
    expect(text).toContain('server_events_publish_batch_size_bucket{le="20"} 2');
    expect(text).toContain("server_events_publish_batch_size_sum 13");
    expect(text).toContain('server_events_publish_commit_seconds_bucket{le="0.002"} 1');
    expect(text).toContain('server_events_publish_commit_seconds_bucket{le="0.005"} 2');
    expect(text).toContain('server_events_publish_wait_seconds_bucket{le="0.0005"} 1');
  });
});
