import { describe } from "vitest";
import { contractContext, type CreateServerEvents } from "./contract/contract-context";
import { notifyContract } from "./contract/notify.contract";
import { presenceContract } from "./contract/presence.contract";
import { replayContract } from "./contract/replay.contract";
import { subscriptionsContract } from "./contract/subscriptions.contract";

export type { CreateServerEvents, ServerEventsUnderTest } from "./contract/contract-context";

/**
 * The behaviour every provider shares (ServiceStack's IServerEvents semantics plus our replay):
 * run with `describeServerEvents("memory", create)`, `describeServerEvents("postgres", create)`.
 * Frames are read from real event streams; "not received" is shown by a marker sent afterwards.
 * @see docs/architecture.md, "Adding a provider"
 */
export function describeServerEvents(name: string, create: CreateServerEvents): void {
  describe(`ServerEvents contract: ${name}`, () => {
    const context = contractContext(create);
    describe("notify", () => notifyContract(context));
    describe("presence", () => presenceContract(context));
    describe("subscriptions", () => subscriptionsContract(context));
    describe("replay (Last-Event-ID)", () => replayContract(context));
  });
}
