import { MemoryServerEvents } from "./memory-server-events";
import { describeServerEvents, type CreateServerEvents } from "./server-events.contract";
import { describeSubscriptionActions } from "./subscription-actions.contract";

const create: CreateServerEvents = async (options) => {
  const events = new MemoryServerEvents(options);
  await events.start();
  return { events, cleanup: () => events.stop() };
};

describeServerEvents("memory", create);
describeSubscriptionActions("memory", create);
