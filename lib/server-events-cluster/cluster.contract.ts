import { describe } from "vitest";
import { clusterDeliveryTests } from "./cluster-delivery.contract";
import { clusterOutageTests } from "./cluster-outages.contract";
import { clusterReplayTests } from "./cluster-replay.contract";
import type { ClusterServerEvents } from "./cluster-server-events";
import { clusterSubscriptionTests } from "./cluster-subscriptions.contract";
import { clusterTestContext, type ClusterHarness } from "./cluster-test-context";

export type { ClusterHarness } from "./cluster-test-context";

/**
 * Several instances of one provider on one backend, in one process (as the socket.io Postgres
 * adapter tests its adapter): every notify family, presence, remote heartbeats and channel
 * changes, big payloads, ordering, a cut listener, replay on another instance, instance death.
 * Run with `describeCluster("postgres", harness)`, `describeCluster("redis", harness)`.
 */
export function describeCluster<E extends ClusterServerEvents>(
  name: string,
  harness: ClusterHarness<E>,
): void {
  describe(`cluster: ${name}`, () => {
    const context = clusterTestContext(harness);
    describe("delivery", () => clusterDeliveryTests(context));
    describe("subscriptions", () => clusterSubscriptionTests(context));
    describe("outages", () => clusterOutageTests(context));
    describe("replay", () => clusterReplayTests(context));
  });
}
