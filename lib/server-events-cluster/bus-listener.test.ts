import { describe, expect, it, vi } from "vitest";
import { BusListener, type BusListenerOptions } from "./bus-listener";

class FakeConnection {
  ended = false;
  pingFails = false;
  constructor(readonly n: number) {}
}

/** A transport whose connections the test opens, breaks and talks on. */
class FakeListener extends BusListener<FakeConnection> {
  readonly opened: FakeConnection[] = [];
  refuse = 0;

  /** What the transport would hear on `connection`. */
  say(connection: FakeConnection, payload: string): void {
    this.received(connection, payload);
  }

  drop(connection: FakeConnection): void {
    this.lost(connection, new Error(`connection ${connection.n} dropped`));
  }

  protected open(): Promise<FakeConnection> {
    if (this.refuse > 0) {
      this.refuse--;
      return Promise.reject(new Error("refused"));
    }
    const connection = new FakeConnection(this.opened.length + 1);
    this.opened.push(connection);
    return Promise.resolve(connection);
  }

  protected ping(connection: FakeConnection): Promise<unknown> {
    return connection.pingFails ? Promise.reject(new Error("no answer")) : Promise.resolve();
  }

  protected end(connection: FakeConnection): Promise<void> {
    connection.ended = true;
    return Promise.resolve();
  }
}

function listener(timings: Partial<BusListenerOptions> = {}) {
  const events = {
    onPayload: vi.fn<(payload: string) => void>(),
    onListening: vi.fn<(reconnected: boolean) => void>(),
    onError: vi.fn<(error: unknown) => void>(),
  };
  const fake = new FakeListener({
    ...events,
    reconnectBaseMs: 1,
    reconnectMaxMs: 5,
    probeIntervalMs: 10,
    ...timings,
  });
  return { fake, events };
}

describe("BusListener", () => {
  it("listens, hears only its live connection, and listens again after losing it", async () => {
    const { fake, events } = listener();
    await fake.start();
    expect(fake.isListening).toBe(true);
    expect(events.onListening.mock.calls).toEqual([[false]]);
    const [first] = fake.opened;
    fake.say(first!, "one");
    fake.drop(first!);
    fake.drop(first!); // its "error" and its "end": reported once
    expect(fake.isListening).toBe(false);
    expect(first!.ended).toBe(true);
    expect(events.onError).toHaveBeenCalledTimes(1);
    await vi.waitFor(() => expect(events.onListening.mock.calls).toEqual([[false], [true]]));
    fake.say(first!, "late, from the old connection");
    fake.say(fake.opened[1]!, "two");
    expect(events.onPayload.mock.calls).toEqual([["one"], ["two"]]);
    await fake.close();
  });

  it("retries with backoff until the backend answers again, reporting each failure", async () => {
    const { fake, events } = listener();
    await fake.start();
    fake.refuse = 3;
    fake.drop(fake.opened[0]!);
    await vi.waitFor(() => expect(fake.isListening).toBe(true));
    expect(events.onError).toHaveBeenCalledTimes(4); // the loss, then three refusals
    expect(events.onListening.mock.calls).toEqual([[false], [true]]);
    await fake.close();
  });

  it("gives up a connection whose probe fails", async () => {
    const { fake, events } = listener();
    await fake.start();
    fake.opened[0]!.pingFails = true;
    await vi.waitFor(() => expect(fake.opened).toHaveLength(2));
    expect(fake.opened[0]!.ended).toBe(true);
    await vi.waitFor(() => expect(events.onListening).toHaveBeenLastCalledWith(true));
    await fake.close();
  });

  it("rejects start when the first connection fails, and stops reconnecting once closed", async () => {
    vi.useFakeTimers();
    try {
      const { fake } = listener({ reconnectBaseMs: 20, reconnectMaxMs: 20 });
      fake.refuse = 1;
      await expect(fake.start()).rejects.toThrow("refused");
      await fake.start();
      fake.drop(fake.opened[0]!);
      await fake.close();
      // Fifty reconnect delays later, still the one connection: the retry was called off.
      await vi.advanceTimersByTimeAsync(1_000);
      expect(fake.opened).toHaveLength(1);
      expect(fake.isListening).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });
});
