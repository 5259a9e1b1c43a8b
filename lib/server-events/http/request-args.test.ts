import { describe, expect, it } from "vitest";
import { RequestArgs } from "./request-args";

const origin = "http://127.0.0.1:3000";

describe("RequestArgs", () => {
  it("binds a key repeated in the query as the list of its values, whole", async () => {
    const args = await RequestArgs.from(
      new Request(`${origin}/event-subscribers?channel=home&Channel=lobby&channel=x`),
    );
    expect(args.list("channel")).toEqual(["home", "lobby", "x"]);
  });

  it("binds a field repeated in a form body as the list of its values, whole", async () => {
    const args = await RequestArgs.from(
      new Request(`${origin}/api/UpdateEventSubscriber`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "subscribeChannels=home&subscribeChannels=lobby",
      }),
    );
    expect(args.list("subscribeChannels")).toEqual(["home", "lobby"]);
  });
});
