/** How much one sender may publish through the demo services: per subscription, per person, per address. */
import { describe, expect, it } from "vitest";
import { demoServicesPerTest, failure } from "./testing/demo-services-fixture";

const demo = demoServicesPerTest();

describe("publishing limits of the demo services", () => {
  it("limits how many channels one sender fills with history (429 naming channel)", async () => {
    await demo.events.stop();
    await demo.setUp({}, {}, 3);
    const { id } = await demo.connect("guest");
    const chat = (channel: string) =>
      demo.call("PostChatToChannel", { from: id, channel, message: "hi" }, "guest");
    for (const channel of ["a", "b", "c", "a", "b", "c"])
      expect((await chat(channel)).status).toBe(200);
    const fourth = await chat("d");
    expect(await failure(fourth)).toBe("429 channel");
    expect(fourth.headers.get("retry-after")).toMatch(/^\d+$/u);
    expect(await demo.history.recent(["d"], 10)).toEqual([]);
    // Channels it already writes to stay open to it, and other senders have their own budget.
    expect((await chat("a")).status).toBe(200);
    const other = await demo.connect("alice");
    const fromAlice = { from: other.id, channel: "d", message: "hi" };
    expect((await demo.call("PostChatToChannel", fromAlice, "alice")).status).toBe(200);
  });

  it("answers 429 with Retry-After past a subscription's publish rate", async () => {
    await demo.events.stop();
    await demo.setUp({}, { publishRateLimit: { perSecond: 1, burst: 2 } });
    const { id } = await demo.connect();
    const body = { from: id, channel: "home", selector: "cmd.x", message: "1" };
    expect((await demo.call("PostRawToChannel", body)).status).toBe(200);
    expect((await demo.call("PostRawToChannel", body)).status).toBe(200);
    const limited = await demo.call("PostRawToChannel", body);
    expect(await failure(limited)).toBe("429 from");
    expect(limited.headers.get("retry-after")).toBe("1");
    const other = await demo.connect();
    expect((await demo.call("PostRawToChannel", { ...body, from: other.id })).status).toBe(200);
  });

  it("charges each typed object of PostObjectToChannel as a message, and takes at most 10", async () => {
    await demo.events.stop();
    await demo.setUp({}, { publishRateLimit: { perSecond: 1, burst: 5 } });
    const { id } = await demo.connect();
    const receiver = await demo.connect("alice");
    const objects = (count: number) =>
      Object.fromEntries(Array.from({ length: count }, (_, i) => [`t${i}`, { i }]));
    const tooMany = await demo.call("PostObjectToChannel", {
      from: id,
      channel: "home",
      ...objects(11),
    });
    expect(await failure(tooMany)).toBe("400 body");
    expect(
      (await demo.call("PostObjectToChannel", { from: id, channel: "home", ...objects(3) })).status,
    ).toBe(200);
    // Three of the five tokens are spent: three more objects are two too many.
    expect(
      await failure(
        await demo.call("PostObjectToChannel", { from: id, channel: "home", ...objects(3) }),
      ),
    ).toBe("429 from");
    const received = await receiver.frames.until((frame) => frame.selector === "cmd.T2");
    expect(received.selector).toBe("cmd.T2");
  });

  it("gives a signed-in user or a guest one publish budget across all their subscriptions", async () => {
    await demo.events.stop();
    await demo.setUp({}, { publishRateLimit: { perSecond: 1, burst: 2 } });
    for (const who of ["alice", "guest"]) {
      const [first, second] = [await demo.connect(who), await demo.connect(who)];
      const body = { channel: "home", selector: "cmd.x", message: "1" };
      expect((await demo.call("PostRawToChannel", { ...body, from: first.id }, who)).status).toBe(
        200,
      );
      expect((await demo.call("PostRawToChannel", { ...body, from: second.id }, who)).status).toBe(
        200,
      );
      const limited = await demo.call("PostRawToChannel", { ...body, from: second.id }, who);
      expect(await failure(limited), who).toBe("429 from");
    }
  });

  it("makes guests from one address share its budget, however many cookies they mint", async () => {
    await demo.events.stop();
    await demo.setUp({}, { publishRateLimit: { perSecond: 1, burst: 2 } });
    const [first, second] = [await demo.connect("guest"), await demo.connect("guest2")];
    const body = { channel: "home", selector: "cmd.x", message: "1" };
    const from = (address: string) => ({ "x-forwarded-for": address });
    expect(
      (
        await demo.call(
          "PostRawToChannel",
          { ...body, from: first.id },
          "guest",
          from("203.0.113.7"),
        )
      ).status,
    ).toBe(200);
    expect(
      (
        await demo.call(
          "PostRawToChannel",
          { ...body, from: second.id },
          "guest2",
          from("203.0.113.7"),
        )
      ).status,
    ).toBe(200);
    const limited = await demo.call(
      "PostRawToChannel",
      { ...body, from: second.id },
      "guest2",
      from("203.0.113.7"),
    );
    expect(await failure(limited)).toBe("429 from");
    // Signed-in users are not counted by address: an account cannot be minted so.
    const signedIn = await demo.connect("alice");
    const asAlice = { ...body, from: signedIn.id };
    expect(
      (await demo.call("PostRawToChannel", asAlice, "alice", from("203.0.113.7"))).status,
    ).toBe(200);
  });
});
