import { expect } from "vitest";
import type { ServerEvents } from "@/lib/server-events";
import type { ChatHistory } from "../chat-history";

interface InstanceServices {
  serverEvents: ServerEvents;
  history: ChatHistory;
}

/**
 * Two instances started on one backend share it: a sequence number drawn on one is taken on the
 * other, and a chat line appended on one is in the other's history.
 */
export async function expectOneSharedBackend(
  one: InstanceServices,
  two: InstanceServices,
): Promise<void> {
  const sequence = await one.serverEvents.getNextSequence("app");
  expect(await two.serverEvents.getNextSequence("app")).toBe(sequence + 1);
  await one.history.append({
    id: sequence,
    channel: "home",
    fromUserId: "u1",
    fromName: "ada",
    displayName: "Ada",
    message: "hello",
    userAuthId: null,
    private: false,
    createdAt: Date.now(),
    selector: "cmd.chat",
  });
  expect((await two.history.recent(["home"], 10)).map((m) => m.message)).toEqual(["hello"]);
}
