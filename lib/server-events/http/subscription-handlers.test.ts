/** Heartbeat, unregister, listing and channel changes through the Fetch handlers. */
import { describe, expect, it } from "vitest";
import { MemoryServerEvents } from "../memory-server-events";
import { createServerEventsHandlers } from "./create-handlers";
import { origin, handlersPerTest } from "../testing/handlers-fixture";

const fixture = handlersPerTest();

describe("heartbeat, unregister and subscriber updates", () => {
  it("writes cmd.onHeartbeat before answering 200 with an empty body", async () => {
    const { frames, info } = await fixture.connect();
    await frames.next();
    for (const method of ["GET", "POST"]) {
      const response = await fixture.handlers.heartbeat(
        new Request(info.heartbeatUrl!, { method }),
      );
      expect(response.status).toBe(200);
      expect(await response.text()).toBe("");
      expect((await frames.next()).selector).toBe("cmd.onHeartbeat");
    }
  });

  it("answers 404 for an unknown subscription, naming it", async () => {
    const response = await fixture.handlers.heartbeat(
      new Request(`${origin}/event-heartbeat?id=nope`),
    );
    expect(response.status).toBe(404);
    expect(response.statusText).toBe("Subscription 'nope' does not exist");
    expect(
      (await fixture.handlers.heartbeat(new Request(`${origin}/event-heartbeat`))).status,
    ).toBe(400);
  });

  it("unregisters with GET, returns the Meta and ends the stream", async () => {
    const { frames, info } = await fixture.connect();
    await frames.next();
    const response = await fixture.handlers.unregister(new Request(info.unRegisterUrl!));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      userId: "-1",
      displayName: "user1",
      channels: "home",
    });
    expect(await frames.ended()).toBe(true);
    expect(
      (await fixture.handlers.unregister(new Request(info.unRegisterUrl!, { method: "POST" })))
        .status,
    ).toBe(404);
  });

  it("answers only one of two concurrent unregisters with 200", async () => {
    const { frames, info } = await fixture.connect();
    await frames.next();
    const [first, second] = await Promise.all([
      fixture.handlers.unregister(new Request(info.unRegisterUrl!)),
      fixture.handlers.unregister(new Request(info.unRegisterUrl!)),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 404]);
  });

  it("turns an endpoint off when its path is null", async () => {
    const quiet = new MemoryServerEvents({ heartbeatPath: null });
    const off = createServerEventsHandlers({ serverEvents: quiet });
    expect((await off.heartbeat(new Request(`${origin}/event-heartbeat?id=x`))).status).toBe(404);
  });

  it("lists subscribers without their ids", async () => {
    await fixture.connect("channels=a");
    await fixture.connect("channels=b");
    const all = (await (
      await fixture.handlers.subscribers(new Request(`${origin}/event-subscribers`))
    ).json()) as object[];
    expect(all).toHaveLength(2);
    const onlyA = await fixture.handlers.subscribers(
      new Request(`${origin}/event-subscribers?Channels=a`),
    );
    expect(await onlyA.json()).toEqual([expect.objectContaining({ channels: "a" })]);
    expect(JSON.stringify(all)).not.toMatch(/"id"/);
  });

  it("accepts JSON with any key case and form bodies with comma lists", async () => {
    const { frames, info } = await fixture.connect("channels=a");
    await frames.next();
    const json = await fixture.handlers.updateSubscriber(
      new Request(info.updateSubscriberUrl!, {
        method: "POST",
        body: JSON.stringify({ SubscribeChannels: ["b"] }),
      }),
      info.id!,
    );
    expect(json.status).toBe(200);
    expect(await json.json()).toEqual({});
    const form = await fixture.handlers.service(
      new Request(`${origin}/api/UpdateEventSubscriber`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: `id=${info.id}&subscribeChannels=c,d&UnsubscribeChannels=a`,
      }),
      "UpdateEventSubscriber",
    );
    expect(form.status).toBe(200);
    expect((await fixture.events.getSubscriptionInfo(info.id!))?.channels).toEqual(["b", "c", "d"]);
  });
});
