import { describe, expect, it } from "vitest";
import { RATE_WINDOW_SECONDS, TrafficMeter } from "./traffic-meter";

function meterAt(start: number) {
  const clock = { now: start };
  return { clock, meter: new TrafficMeter(() => clock.now) };
}

describe("TrafficMeter", () => {
  it("averages whole seconds over the window, overall and per channel", () => {
    const { clock, meter } = meterAt(100_000);
    for (let second = 0; second < RATE_WINDOW_SECONDS; second++) {
      clock.now = 100_000 + second * 1000 + 10;
      for (let i = 0; i < 4; i++) meter.record("home");
      meter.record(null);
    }
    clock.now = 100_000 + RATE_WINDOW_SECONDS * 1000 + 500;
    const rates = meter.rates();
    expect(rates.messagesPerSecond).toBe(5);
    expect(rates.byChannel.get("home")).toBe(4);
    expect([...rates.byChannel.keys()]).toEqual(["home"]);
  });

  it("leaves the unfinished second out, so a rate does not dip mid-second", () => {
    const { clock, meter } = meterAt(200_000);
    clock.now = 206_000;
    for (let i = 0; i < 10; i++) meter.record("a");
    expect(meter.rates().messagesPerSecond).toBe(0);
    clock.now = 207_000;
    expect(meter.rates().messagesPerSecond).toBe(10 / RATE_WINDOW_SECONDS);
  });

  it("divides by the seconds it has been running when that is less than the window", () => {
    const { clock, meter } = meterAt(300_000);
    clock.now = 300_100;
    for (let i = 0; i < 6; i++) meter.record("a");
    clock.now = 302_000;
    expect(meter.rates().messagesPerSecond).toBe(3);
  });

  it("falls back to zero once the traffic stops", () => {
    const { clock, meter } = meterAt(400_000);
    clock.now = 410_000;
    meter.record("a");
    clock.now = 411_000;
    expect(meter.rates().messagesPerSecond).toBeGreaterThan(0);
    clock.now = 411_000 + RATE_WINDOW_SECONDS * 1000 + 1;
    expect(meter.rates()).toEqual({ messagesPerSecond: 0, byChannel: new Map() });
  });
});
