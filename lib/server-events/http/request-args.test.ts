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

  it("binds up to 1,000 parameters and refuses more with a 400 naming the query or the body", async () => {
    const repeated = (count: number) => Array.from({ length: count }, (_, i) => `x=${i}`).join("&");
    const query = await RequestArgs.from(
      new Request(`${origin}/event-subscribers?${repeated(1000)}`),
    );
    expect(query.list("x")).toHaveLength(1000);
    expect(query.list("x")?.at(-1)).toBe("999");
    const form = (body: string) =>
      new Request(`${origin}/event-unregister`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body,
      });
    expect((await RequestArgs.from(form(repeated(1000)))).list("x")).toHaveLength(1000);

    const refusals = [
      [new Request(`${origin}/event-subscribers?${repeated(1001)}`), "query"],
      [form(repeated(1001)), "body"],
      [form("x=&".repeat(10_000)), "body"],
    ] as const;
    for (const [request, field] of refusals) {
      const error = await RequestArgs.from(request).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ServerEventsError);
      expect(error).toMatchObject({ status: 400, field });
      expect((error as Error).message).toMatch(/more than 1000 parameters/u);
    }
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
