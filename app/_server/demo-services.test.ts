/** What the demo services let through to other people's pages, and what they refuse. */
import { describe, expect, it } from "vitest";
import { demoServicesPerTest, failure, origin } from "./testing/demo-services-fixture";

const demo = demoServicesPerTest();

describe("publishing through the demo services", () => {
  it("names the recipient of a private message, so both sides file it under one conversation", async () => {
    const sender = await demo.connect("alice");
    const recipient = await demo.connect("guest");
    const { userId: guestUserId, displayName: guestName } = (await demo.events.getSubscriptionInfo(
      recipient.id,
    ))!;
    const response = await demo.call(
      "PostChatToChannel",
      { from: sender.id, channel: "home", message: "psst", toUserId: guestUserId },
      "alice",
    );
    expect(await response.json()).toMatchObject({
      private: true,
      fromUserId: "u-alice",
      toUserId: guestUserId,
      toName: guestName,
    });
    const received = await recipient.frames.until((frame) => frame.selector === "cmd.chat");
    expect(received.body).toMatchObject({ message: "psst", toUserId: guestUserId });
    const echo = await sender.frames.until((frame) => frame.selector === "cmd.chat");
    expect(echo.body).toMatchObject({ message: `@${guestName}: psst`, toName: guestName });
    expect(await demo.history.recent(["home"], 10)).toEqual([]);
  });

  it("needs a live 'from' subscription for objects too", async () => {
    const response = await demo.call("PostObjectToChannel", { channel: "home", x: { a: 1 } });
    expect(await failure(response)).toBe("400 from");
    const unknown = await demo.call("PostObjectToChannel", { from: "nope", x: { a: 1 } });
    expect(await failure(unknown)).toBe("404 id");
  });

  it.each([
    ["PostRawToChannel", { selector: "cmd.onConnect", message: "x" }],
    ["PostRawToChannel", { selector: "CMD.onHeartbeat$#x", message: "x" }],
    ["PostChatToChannel", { selector: "cmd.onJoin", message: "x" }],
    ["PostObjectToChannel", { onConnect: { heartbeatUrl: "https://evil.example/hb" } }],
    ["PostObjectToChannel", { selector: "cmd.onLeave", x: { a: 1 } }],
    ["PostRawToChannel", { selector: "cmd.on-Connect", message: "x" }],
    // The clients' own hooks: the official clients call handlers.onMessage for cmd.onMessage.
    ["PostObjectToChannel", { selector: "cmd.onMessage", x: { json: "spoofed" } }],
    ["PostRawToChannel", { selector: "cmd.ONSTOP", message: "x" }],
    ["PostChatToChannel", { selector: "cmd.onCommand", message: "x" }],
  ])("refuses the server's and the clients' own selectors: %s %j", async (operation, body) => {
    const { id } = await demo.connect();
    const response = await demo.call(operation, { from: id, channel: "home", ...body });
    expect(await failure(response)).toBe("400 selector");
  });

  it("answers 400, not 500, to a typed object nested thousands of levels deep", async () => {
    const { id } = await demo.connect();
    // Built as text: JSON.stringify (what publishing the object runs) overflows the stack on it.
    const deep = `${"[".repeat(4188)}${"]".repeat(4188)}`;
    const response = await demo.handlers.service(
      new Request(`${origin}/api/PostObjectToChannel`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: `{"from":${JSON.stringify(id)},"customType":${deep}}`,
      }),
      "PostObjectToChannel",
    );
    expect(await failure(response)).toBe("400 body");
  });

  it.each([
    ["PostObjectToChannel", { selector: "cmd.chat", x: { fromName: "admin", message: "hi" } }],
    ["PostObjectToChannel", { chat: { fromName: "admin", message: "hi" } }],
    ["PostRawToChannel", { selector: "cmd.chat", message: "hi" }],
    ["PostObjectToChannel", { selector: "shapes.snapshot", x: { shapes: [] } }],
    ["PostChatToChannel", { selector: "Shapes.Snapshot", message: "hi" }],
    // Clients drop a target's first "-" and match receivers case-insensitively.
    ["PostObjectToChannel", { selector: "shapes.snap-shot", x: { shapes: [] } }],
    ["PostRawToChannel", { selector: "shapes.-SNAPSHOT$#canvas", message: "{}" }],
    ["PostRawToChannel", { selector: "cmd.ch-at", message: "hi" }],
    ["PostRawToChannel", { selector: "cmd.operatorNotice", message: "Re-enter your password" }],
    ["PostObjectToChannel", { operatorNotice: { text: "hi" } }],
  ])(
    "keeps chat, snapshot and operator frames to the services that build them: %s %j",
    async (op, body) => {
      const { id } = await demo.connect();
      const response = await demo.call(op, { from: id, channel: "home", ...body });
      expect(await failure(response)).toBe("400 selector");
    },
  );

  it("keeps what acts on pages (window.*, document.*, css.*, cmd.toggle/show/hide) for signed-in senders", async () => {
    const anonymous = await demo.connect();
    for (const selector of [
      "window.location",
      "css.background-image$#top",
      "Window.alert",
      "document.title",
      "cmd.toggle$body",
      "cmd.Hide$#log",
      "cmd.show",
      "cmd.tog-gle$body",
      "cmd.-Hide",
    ]) {
      const body = { from: anonymous.id, channel: "home", selector, message: "x" };
      expect(await failure(await demo.call("PostRawToChannel", body))).toBe("403 selector");
    }
    const signedIn = await demo.connect("alice");
    const body = { from: signedIn.id, channel: "home", selector: "window.location", message: "/x" };
    expect((await demo.call("PostRawToChannel", body, "alice")).status).toBe(200);
  });

  it("lets anyone send other cmd.* and trigger.* messages (ServiceStack's test suites do)", async () => {
    const { id, frames } = await demo.connect();
    for (const selector of ["trigger.customEvent", "cmd.announce", "cmd.paint$#top"]) {
      const body = { from: id, channel: "home", selector, message: "hi" };
      expect((await demo.call("PostRawToChannel", body)).status).toBe(200);
      expect((await frames.next()).selector).toBe(selector);
    }
  });

  it("keeps the ops an app declares as remote control, such as the chat's TV, for signed-in senders", async () => {
    await demo.events.stop();
    await demo.setUp({ remoteControlOps: ["window", "document", "css", "TV"] }); // in any case
    const anonymous = await demo.connect();
    const watch = { channel: "home", selector: "tv.watch", message: "https://evil.example/x.png" };
    const refused = await demo.call("PostRawToChannel", { from: anonymous.id, ...watch });
    expect(await failure(refused)).toBe("403 selector");
    const signedIn = await demo.connect("alice");
    expect(
      (await demo.call("PostRawToChannel", { from: signedIn.id, ...watch }, "alice")).status,
    ).toBe(200);
  });

  it("can turn the remote-control limit off", async () => {
    await demo.events.stop();
    await demo.setUp({ limitRemoteControlToAuthenticatedUsers: false });
    const { id } = await demo.connect();
    const body = { from: id, channel: "home", selector: "css.color$#top", message: "red" };
    expect((await demo.call("PostRawToChannel", body)).status).toBe(200);
  });

  it("caps chat text and refuses control characters, keeping nothing", async () => {
    const { id } = await demo.connect();
    const long = await demo.call("PostChatToChannel", {
      from: id,
      channel: "home",
      message: "x".repeat(51),
    });
    expect(await failure(long)).toBe("400 message");
    const nul = await demo.call("PostChatToChannel", {
      from: id,
      channel: "home",
      message: "a\u0000b",
    });
    expect(await failure(nul)).toBe("400 message");
    const lone = await demo.call("PostChatToChannel", {
      from: id,
      channel: "home",
      message: "a\ud800",
    });
    expect(await failure(lone)).toBe("400 message");
    const ok = await demo.call("PostChatToChannel", {
      from: id,
      channel: "home",
      message: "two\nlines",
    });
    expect(ok.status).toBe(200);
    expect((await demo.history.recent(["home"], 10)).map((m) => m.message)).toEqual(["two\nlines"]);
  });
});
