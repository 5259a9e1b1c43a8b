/**
 * Bytes and answers that ServiceStack's clients depend on and no other test pins at the HTTP level
 * (docs/protocol.md, "Client compatibility"): the empty-body frame with its space, a `%20` CSS
 * selector passed through, and the heartbeat and channel-update requests exactly as jQuery sends
 * them for ss-utils (a POST with no body and no Content-Type; a form with `%2C`-encoded commas).
 */
import { afterEach, describe, expect, it } from "vitest";
import { nextServerFixture } from "./support/fixture";
import { randomToken } from "./support/next-server";
import { openSse, type SseStream } from "./support/sse";

const server = nextServerFixture();
const streams: SseStream[] = [];

afterEach(() => {
  for (const stream of streams.splice(0)) stream.close();
});

/** Opens a stream on a channel of its own and reads up to its own onJoin. */
async function subscribe(): Promise<{ stream: SseStream; id: string; channel: string }> {
  const channel = `wire-${randomToken(8)}`;
  const stream = await openSse(`${server().baseUrl}/event-stream?channels=${channel}`);
  streams.push(stream);
  const [connect] = await stream.until(`${channel}@cmd.onJoin`);
  const { id } = JSON.parse(connect!.json) as { id: string };
  return { stream, id, channel };
}

describe("frames", () => {
  it("writes an empty body as `data: channel@selector ` with the space, then the blank line", async () => {
    const { stream, id, channel } = await subscribe();
    await server().services.postRaw(id, "cmd.paint$#channels", null, channel);
    const frame = await stream.next();
    // Java's and C#'s parsers index the part after the first space: without it they throw.
    expect(frame.raw).toMatch(
      new RegExp(`^id: \\d+\\ndata: ${channel}@cmd\\.paint\\$#channels \\n\\n$`, "u"),
    );
  });

  it("passes a CSS selector with %20 through unchanged, for the client to decode", async () => {
    const { stream, id, channel } = await subscribe();
    await server().services.postRaw(id, "cmd.paint$#top%20.label", "blue", channel);
    const frame = await stream.next();
    expect(frame.raw).toMatch(
      new RegExp(`^id: \\d+\\ndata: ${channel}@cmd\\.paint\\$#top%20\\.label "blue"\\n\\n$`, "u"),
    );
  });
});

describe("requests as jQuery sends them for ss-utils", () => {
  it("answers a heartbeat POST with no body and no Content-Type with 200, empty, after cmd.onHeartbeat", async () => {
    const { stream, id } = await subscribe();
    const contentTypes: Record<string, string>[] = [
      {},
      { "Content-Type": "application/x-www-form-urlencoded" },
    ];
    for (const headers of contentTypes) {
      const response = await fetch(`${server().baseUrl}/event-heartbeat?id=${id}`, {
        method: "POST",
        headers: {
          Accept: "text/plain, */*; q=0.01",
          "X-Requested-With": "XMLHttpRequest",
          ...headers,
        },
      });
      expect(response.status).toBe(200);
      expect(await response.text()).toBe("");
      expect((await stream.next()).selector).toBe("cmd.onHeartbeat");
    }
  });

  it("answers a form update `SubscribeChannels=a%2Cb` with 200 and the JSON `{}` jQuery parses", async () => {
    const { stream, id, channel } = await subscribe();
    const [a, b] = [`${channel}-a`, `${channel}-b`];
    const response = await fetch(`${server().baseUrl}/event-subscribers/${id}`, {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded; charset=UTF-8",
        Accept: "application/json, text/javascript, */*; q=0.01",
        "X-Requested-With": "XMLHttpRequest",
      },
      body: `SubscribeChannels=${encodeURIComponent(`${a},${b}`)}`,
    });
    expect(response.status).toBe(200);
    expect(JSON.parse(await response.text())).toEqual({});
    const update = await stream.next();
    expect(update.selector).toBe(`${channel}@cmd.onUpdate`);
    expect(JSON.parse(update.json)).toMatchObject({ channels: `${channel},${a},${b}` });
  });
});
