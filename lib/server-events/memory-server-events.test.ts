import { MemoryServerEvents } from "./memory-server-events";
import { describeServerEvents } from "./server-events.contract";

describeServerEvents("memory", async (options) => {
  const events = new MemoryServerEvents(options);
  await events.start();
  return { events, cleanup: () => events.stop() };
});
