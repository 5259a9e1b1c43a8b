import { describe, expect, it } from "vitest";
import { ServerEventsError } from "../errors";
import { readJsonWithin, RequestArgs } from "./request-args";

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

  it("refuses JSON nested deeper than 64 levels with a 400 naming the body", async () => {
    const post = (body: string) =>
      new Request(`${origin}/api/PostObjectToChannel`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });
    const nested = (depth: number) =>
      `{"customType":${"[".repeat(depth - 1)}${"]".repeat(depth - 1)}}`;
    const args = await RequestArgs.from(post(nested(64)));
    expect(args.value("customType")).toBeInstanceOf(Array);
    for (const request of [post(nested(65)), post(nested(4188))]) {
      const error = await RequestArgs.from(request).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ServerEventsError);
      expect(error).toMatchObject({ status: 400, field: "body" });
    }
    await expect(readJsonWithin(post(nested(65)), 1024)).rejects.toMatchObject({ status: 400 });
  });

  it("does not count brackets inside strings as nesting", async () => {
    const body = JSON.stringify({ message: "[".repeat(100), 'quoted\\"[': "{".repeat(100) });
    const args = await RequestArgs.from(
      new Request(`${origin}/api/PostChatToChannel`, { method: "POST", body }),
    );
    expect(args.string("message")).toBe("[".repeat(100));
  });
});

describe("route values", () => {
  it("bind over the query and the body", async () => {
    const request = new Request("http://h/channels/x/chat?channel=fromQuery&from=q", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ Channel: "fromBody", message: "hi" }),
    });
    const args = await RequestArgs.from(request, { channel: "fromRoute" });
    expect(args.string("channel")).toBe("fromRoute");
    expect(args.list("channel")).toEqual(["fromRoute"]);
    expect(args.string("from")).toBe("q");
    expect(args.string("message")).toBe("hi");
  });
});
