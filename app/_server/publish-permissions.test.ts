/** Who may publish as a subscription, and who may read a channel's history. */
import { describe, expect, it } from "vitest";
import { demoServicesPerTest, failure } from "./testing/demo-services-fixture";

const demo = demoServicesPerTest();

describe("who may publish and read history", () => {
  it("lets only the guest cookie that opened a subscription publish as it", async () => {
    const { id } = await demo.connect("guest");
    const body = { from: id, channel: "home", message: "hi" };
    expect(await failure(await demo.call("PostChatToChannel", body))).toBe("403 id");
    expect(await failure(await demo.call("PostChatToChannel", body, "alice"))).toBe("403 id");
    expect((await demo.call("PostChatToChannel", body, "guest")).status).toBe(200);
  });

  it("hides chat history from anonymous callers when streams are limited to signed-in users", async () => {
    await demo.events.stop();
    await demo.setUp({ limitToAuthenticatedUsers: true });
    expect((await demo.call("GetChatHistory", { channels: "home" })).status).toBe(401);
    expect((await demo.call("GetChatHistory", { channels: "home" }, "alice")).status).toBe(200);
  });

  it.each(["PostChatToChannel", "PostRawToChannel", "PostObjectToChannel"])(
    "keeps %s to a restricted channel for callers with its role",
    async (operation) => {
      await demo.events.stop();
      await demo.setUp({}, { restrictedChannels: { ops: "admin" } });
      const body = { channel: "ops", selector: "cmd.x", message: "hi", x: { a: 1 } };
      const mine = await demo.connect("alice");
      const refused = await demo.call(operation, { ...body, from: mine.id }, "alice");
      expect(await failure(refused)).toBe("403 channel");
      const admins = await demo.connect("ada");
      expect((await demo.call(operation, { ...body, from: admins.id }, "ada")).status).toBe(200);
    },
  );

  it("keeps a restricted channel's history for callers with its role", async () => {
    await demo.events.stop();
    await demo.setUp({}, { restrictedChannels: { ops: "admin" } });
    const refused = await demo.call("GetChatHistory", { channels: "home,ops" }, "alice");
    expect(await failure(refused)).toBe("403 channels");
    expect((await demo.call("GetChatHistory", { channels: "ops" }, "ada")).status).toBe(200);
  });
});
