import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createServerEventsHandlers,
  MemoryServerEvents,
  type CallerIdentity,
  type ServerEventsHandlers,
} from "@/lib/server-events";
import { FrameReader } from "@/lib/server-events/testing/frame-reader";
import { endStreamsOf } from "./end-streams";

const ada = (sessionId: string): CallerIdentity => ({
  isAuthenticated: true,
  userId: "u-ada",
  userName: "ada",
  sessionId,
});
const bob: CallerIdentity = { isAuthenticated: true, userId: "u-bob", userName: "bob" };

let events: MemoryServerEvents;
let handlers: ServerEventsHandlers;
const open: FrameReader[] = [];

beforeEach(async () => {
  events = new MemoryServerEvents({ onError: () => undefined });
  await events.start();
  handlers = createServerEventsHandlers({
    serverEvents: events,
    resolveIdentity: (request) => {
      const who = request.headers.get("x-who") ?? "";
      return Promise.resolve(who === "bob" ? bob : ada(who));
    },
  });
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((reader) => reader.cancel()));
  await events.stop();
});

async function connect(who: string) {
  const response = await handlers.stream(
    new Request("http://127.0.0.1/event-stream?channels=home", { headers: { "x-who": who } }),
  );
  const frames = new FrameReader(response.body!);
  open.push(frames);
  const { id } = (await frames.next()).body as { id: string };
  return { id, frames };
}

describe("endStreamsOf", () => {
  it("ends every stream of the account, a copied session's included, and no one else's", async () => {
    const here = await connect("session-here");
    const copied = await connect("session-here");
    const phone = await connect("session-phone");
    const bobs = await connect("bob");
    expect(await endStreamsOf(events, "u-ada")).toBe(3);
    const alive = (await events.getAllSubscriptionInfos()).map((info) => info.id);
    expect(alive).toEqual([bobs.id]);
    // The ended streams close: their clients reconnect as whoever their cookies now say.
    for (const stream of [here, copied, phone])
      await expect(stream.frames.until(() => false)).rejects.toThrow();
  });
});
