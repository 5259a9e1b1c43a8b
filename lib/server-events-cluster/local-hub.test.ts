import { describe, expect, it, vi } from "vitest";
import { MemoryServerEvents, type PublishedMessage } from "@/lib/server-events";
import { LOCAL_HUB_METHODS, LocalHub } from "./local-hub";

describe("LocalHub", () => {
  it("answers every listed method from the local hub, arguments and result as they are", async () => {
    const local = new MemoryServerEvents({});
    const hub = new LocalHub(local);
    for (const name of LOCAL_HUB_METHODS) {
      const answer = Promise.resolve(name);
      const spy = vi.spyOn(local, name).mockReturnValue(answer as never);
      const args = ["a", "b", "c", "d"];
      expect((hub[name] as (...args: unknown[]) => unknown)(...args), name).toBe(answer);
      expect(spy, name).toHaveBeenCalledWith(...args);
      expect(spy.mock.contexts[0], name).toBe(local); // prototype methods need their `this`
      spy.mockRestore();
    }
    await local.stop();
  });

  it("keeps the methods on the prototype, not one closure per instance", async () => {
    const local = new MemoryServerEvents({});
    await local.start();
    const hub = new LocalHub(local);
    expect(Object.keys(hub)).toEqual(["local"]);
    expect(await hub.getNextSequence("n")).toBe(1);
    const seen: PublishedMessage[] = [];
    const stop = hub.observeMessages((message) => seen.push(message));
    await hub.notifyAll("cmd.hello", { to: "everyone" });
    expect(seen.map((message) => message.selector)).toEqual(["cmd.hello"]);
    stop();
    await local.stop();
  });
});
