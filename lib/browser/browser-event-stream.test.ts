import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { flush } from "@/lib/server-events-client/testing/client-harness";
import { connectBody, FakeServer } from "@/lib/server-events-client/testing/fake-server";
import { getSharedEventStream } from "./browser-event-stream";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

/** A page of its own (no other tabs: no BroadcastChannel) whose requests reach `server`. */
function stubPage(server: FakeServer): EventTarget {
  const page = new EventTarget();
  vi.stubGlobal("window", page);
  vi.stubGlobal("document", { querySelector: () => null });
  vi.stubGlobal("BroadcastChannel", undefined);
  vi.stubGlobal("fetch", (url: string, init: RequestInit) =>
    server.fetch(new URL(url, "http://h").href, init),
  );
  return page;
}

const pageTransition = (type: "pagehide" | "pageshow", persisted: boolean) =>
  Object.assign(new Event(type), { persisted });

describe("getSharedEventStream", () => {
  it("goes live again, for the same listeners, when the page comes back from the bfcache", async () => {
    const server = new FakeServer();
    const page = stubPage(server);
    const stream = getSharedEventStream("guest", ["home"]);
    const seen: unknown[] = [];
    stream.onMessage((m) => seen.push(m.body));
    await flush();
    server.stream.send(1, "cmd.onConnect", connectBody());
    server.stream.send(2, "home@cmd.chat", "before the page slept");
    await flush();
    page.dispatchEvent(pageTransition("pagehide", true));
    expect(server.stream.closed).toBe(true);

    page.dispatchEvent(pageTransition("pageshow", true));
    await flush();
    expect(getSharedEventStream("guest", ["home"])).toBe(stream);
    expect(server.streams).toHaveLength(2);
    expect(server.stream.request.headers["Last-Event-ID"]).toBe("2");
    server.stream.send(2, "cmd.onConnect", connectBody("sub2"));
    server.stream.send(3, "home@cmd.chat", "while you were away");
    await flush();
    expect(stream.state).toBe("open");
    expect(seen).toEqual(["before the page slept", "while you were away"]);
  });
});
