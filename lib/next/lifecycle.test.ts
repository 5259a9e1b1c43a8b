import { afterEach, describe, expect, it, vi } from "vitest";
import { inFlightSettled, trackInFlight } from "./lifecycle";

afterEach(() => {
  vi.useRealTimers();
});

/** A tracked handler whose answer the test releases. */
function heldRequest() {
  let release!: () => void;
  const answered = new Promise<void>((resolve) => (release = resolve));
  const handler = trackInFlight(async (_request: Request) => {
    await answered;
    return new Response(null, { status: 204 });
  });
  return { handler, release };
}

describe("in-flight requests at shutdown", () => {
  it("lets a running publish finish before shutdown goes on", async () => {
    const { handler, release } = heldRequest();
    const publishing = handler(new Request("http://app.test/channels/home/chat"));
    let settled: boolean | undefined;
    const waiting = inFlightSettled(60_000).then((value) => (settled = value));
    await Promise.resolve();
    expect(settled).toBeUndefined();
    release();
    expect((await publishing).status).toBe(204);
    await waiting;
    expect(settled).toBe(true);
    expect(await inFlightSettled(0)).toBe(true);
  });

  it("gives up at the deadline when a request never ends", async () => {
    vi.useFakeTimers();
    const { handler, release } = heldRequest();
    const stuck = handler(new Request("http://app.test/api/PostChatToChannel"));
    const waiting = inFlightSettled(5_000);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(await waiting).toBe(false);
    release();
    await stuck;
  });
});
