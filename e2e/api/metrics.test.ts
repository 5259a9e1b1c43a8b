/**
 * `GET /metrics` as an operator's Prometheus scrapes it (docs/deploy.md, "Metrics"):
 * closed without the token in production, and counting what the instance did, streams refused
 * at SSE_MAX_STREAMS included, whichever serving mode answered the streams.
 */
import { afterEach, describe, expect, it } from "vitest";
import { nextServerFixture } from "./support/fixture";
import { openSse, type SseStream } from "./support/sse";

const server = nextServerFixture({ SSE_MAX_STREAMS: "2" });
const streams: SseStream[] = [];

afterEach(() => {
  for (const stream of streams.splice(0)) stream.close();
});

/** One sample's value from the Prometheus text, e.g. `server_events_open_streams`. */
async function scrape(): Promise<(sample: string) => number | undefined> {
  const response = await fetch(`${server().baseUrl}/metrics`, {
    headers: { Authorization: `Bearer ${server().adminToken}` },
  });
  expect(response.status).toBe(200);
  const text = await response.text();
  return (sample) => {
    const line = text.split("\n").find((row) => row.startsWith(`${sample} `));
    return line === undefined ? undefined : Number(line.slice(sample.length + 1));
  };
}

async function open(): Promise<SseStream> {
  const stream = await openSse(`${server().baseUrl}/event-stream?channels=metrics`);
  streams.push(stream);
  return stream;
}

describe("GET /metrics", () => {
  it("answers 401 without the bearer token in production", async () => {
    const response = await fetch(`${server().baseUrl}/metrics`);
    expect(response.status).toBe(401);
    const wrong = await fetch(`${server().baseUrl}/metrics`, {
      headers: { Authorization: "Bearer not-the-token" },
    });
    expect(wrong.status).toBe(401);
  });

  it("counts open streams, registrations and the streams refused past SSE_MAX_STREAMS", async () => {
    const before = await scrape();
    const registered = before("server_events_registrations_total") ?? 0;
    const [first, second] = [await open(), await open()];
    expect((await first.next()).selector).toBe("cmd.onConnect");
    expect((await second.next()).selector).toBe("cmd.onConnect");
    const refused = await open();
    expect(refused.response.status).toBe(503);

    const during = await scrape();
    expect(during("server_events_open_streams")).toBe(2);
    expect(during("server_events_open_subscriptions")).toBe(2);
    expect(during("server_events_registrations_total")).toBe(registered + 2);
    expect(during('server_events_streams_refused_total{limit="per_instance"}')).toBe(1);
    expect(during('server_events_streams_refused_total{limit="per_user"}')).toBe(0);

    first.close();
    second.close();
    await expect
      .poll(async () => (await scrape())("server_events_open_streams"), { timeout: 10_000 })
      .toBe(0);
  });
});
