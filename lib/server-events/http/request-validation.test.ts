/** Requests that are refused with a 4xx naming the problem: too fast, bad names, bad bodies. */
import { describe, expect, it } from "vitest";
import { origin, handlersPerTest } from "../testing/handlers-fixture";

const fixture = handlersPerTest();

describe("refused requests", () => {
  it("limits how fast one subscription changes channels (429)", async () => {
    const { frames, info } = await fixture.connect("channels=a");
    await frames.next();
    const change = (channel: string) =>
      fixture.handlers.updateSubscriber(
        new Request(info.updateSubscriberUrl!, {
          method: "POST",
          body: JSON.stringify({ subscribeChannels: [channel] }),
        }),
        info.id!,
      );
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) statuses.push((await change(`c${i}`)).status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(20);
    const limited = await change("late");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it.each(["a%00b", "a%7Fb", "a%C2%85b", "a%01b"])(
    "refuses control characters in channel names from the query (%s)",
    async (channel) => {
      const response = await fixture.handlers.stream(
        new Request(`${origin}/event-stream?channels=${channel}`),
      );
      expect(response.status).toBe(400);
    },
  );

  it("refuses control characters and lone surrogates in channel names from JSON and forms", async () => {
    const { frames, info } = await fixture.connect("channels=a");
    await frames.next();
    for (const body of ['{"subscribeChannels":["x\\ud800"]}', '{"subscribeChannels":"x\\u0000"}']) {
      const response = await fixture.handlers.updateSubscriber(
        new Request(info.updateSubscriberUrl!, { method: "POST", body }),
        info.id!,
      );
      expect(response.status).toBe(400);
    }
    const form = await fixture.handlers.updateSubscriber(
      new Request(info.updateSubscriberUrl!, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "subscribeChannels=x%1Fy",
      }),
      info.id!,
    );
    expect(form.status).toBe(400);
  });

  it("answers unknown services and malformed bodies with 4xx, never 500", async () => {
    expect((await fixture.handlers.service(new Request(`${origin}/api/Nope`), "Nope")).status).toBe(
      404,
    );
    const badJson = await fixture.handlers.service(
      new Request(`${origin}/api/UpdateEventSubscriber`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{not json",
      }),
      "UpdateEventSubscriber",
    );
    expect(badJson.status).toBe(400);
    const xml = await fixture.handlers.service(
      new Request(`${origin}/api/UpdateEventSubscriber`, {
        method: "POST",
        headers: { "content-type": "application/xml" },
        body: "<x/>",
      }),
      "UpdateEventSubscriber",
    );
    expect(xml.status).toBe(415);
  });
});

describe("request bodies", () => {
  it("stops reading a chunked body past the limit and answers 413", async () => {
    const chunk = new Uint8Array(256 * 1024).fill(0x61);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent++;
        if (sent > 64) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const request = new Request(`${origin}/api/UpdateEventSubscriber`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
      duplex: "half",
    } as RequestInit);
    const response = await fixture.handlers.service(request, "UpdateEventSubscriber");
    expect(response.status).toBe(413);
    expect(sent).toBeLessThan(64);
  });
});
