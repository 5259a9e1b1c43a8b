import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { applyCss } from "./browser";
import { createHarness, flush } from "./testing/client-harness";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

function fakeElement() {
  const styles: Record<string, string> = {};
  return {
    styles,
    style: { setProperty: (name: string, value: string) => void (styles[name] = value) },
  };
}

describe("applyCss", () => {
  it("does nothing under Node", () => {
    expect(() => applyCss("body", "color", "red")).not.toThrow();
  });

  it("sets the style on every matched element, in kebab-case", () => {
    const a = fakeElement();
    const b = fakeElement();
    const querySelectorAll = vi.fn(() => [a, b]);
    vi.stubGlobal("document", { querySelectorAll, querySelector: () => null, body: null });
    vi.stubGlobal("location", { href: "https://chat.example/chat" });
    applyCss("#top .box", "backgroundImage", "url(/img/x.png)");
    applyCss("#top .box", "background-color", "red");
    expect(querySelectorAll).toHaveBeenCalledWith("#top .box");
    expect(a.styles).toEqual({ "background-image": "url(/img/x.png)", "background-color": "red" });
    expect(b.styles).toEqual(a.styles);
  });

  it("applies nothing that would load another origin's URL", () => {
    const a = fakeElement();
    vi.stubGlobal("document", { querySelectorAll: () => [a], querySelector: () => null });
    vi.stubGlobal("location", { href: "https://chat.example/chat" });
    applyCss("body", "background-image", "url(https://evil.example/x.png)");
    applyCss("body", "background-image", 'image-set("https://evil.example/x.png" 1x)');
    applyCss("body", "background-image", "u\\rl(https://evil.example/x.png)");
    expect(a.styles).toEqual({});
  });
});

describe("ServerEventsClient in a browser", () => {
  it("unregisters with sendBeacon on pagehide, and reconnects when restored from the bfcache", async () => {
    const page = new EventTarget();
    const sendBeacon = vi.fn(() => true);
    vi.stubGlobal("window", page);
    vi.stubGlobal("navigator", { sendBeacon });
    const { server, client, connect } = createHarness();
    await connect();
    page.dispatchEvent(new Event("pagehide"));
    expect(sendBeacon).toHaveBeenCalledWith("http://h/event-unregister?id=sub1");
    expect(server.requestsTo("/event-unregister")).toHaveLength(0);
    expect(server.stream.closed).toBe(true);
    expect(client.state).toBe("closed");
    page.dispatchEvent(Object.assign(new Event("pageshow"), { persisted: true }));
    await flush();
    expect(server.streams).toHaveLength(2);
    expect(client.state).toBe("connecting");
    await client.stop();
    page.dispatchEvent(Object.assign(new Event("pageshow"), { persisted: true }));
    await flush();
    expect(server.streams).toHaveLength(2);
  });
});

describe("a page restored from the back/forward cache", () => {
  it("resumes from the last event id it saw, so the server replays what it missed", async () => {
    const page = new EventTarget();
    vi.stubGlobal("window", page);
    const { server, client, connect } = createHarness({ unregisterOnPageHide: false });
    await connect();
    server.stream.send(7, "home@cmd.chat", "before the page slept");
    await flush();
    page.dispatchEvent(new Event("pagehide"));
    page.dispatchEvent(Object.assign(new Event("pageshow"), { persisted: true }));
    await flush();
    expect(server.streams).toHaveLength(2);
    expect(server.stream.request.headers["Last-Event-ID"]).toBe("7");
    await client.stop();
    await connect("sub3");
    expect(server.stream.request.headers["Last-Event-ID"]).toBeUndefined();
  });
});

describe("a page that is going away", () => {
  it("sends the unregister before closing its stream, and none while reconnecting", async () => {
    const page = new EventTarget();
    vi.stubGlobal("window", page);
    const { server, client, connect } = createHarness();
    const streamOpenAtBeacon: boolean[] = [];
    vi.stubGlobal("navigator", {
      sendBeacon: vi.fn(() => (streamOpenAtBeacon.push(!server.stream.closed), true)),
    });
    await connect();
    page.dispatchEvent(new Event("pagehide"));
    expect(streamOpenAtBeacon).toEqual([true]);

    const again = createHarness();
    vi.stubGlobal("navigator", { sendBeacon: vi.fn(() => (streamOpenAtBeacon.push(true), true)) });
    await again.connect();
    again.server.stream.end(); // the stream drops: the client reconnects, its old id may be gone
    await flush();
    expect(again.client.state).not.toBe("open");
    page.dispatchEvent(new Event("pagehide"));
    expect(streamOpenAtBeacon).toEqual([true]);
    expect(again.server.requestsTo("/event-unregister")).toHaveLength(0);
    expect(client.state).toBe("closed");
  });

  it("only closes its stream when told the server ends the subscription with it", async () => {
    const page = new EventTarget();
    const sendBeacon = vi.fn(() => true);
    vi.stubGlobal("window", page);
    vi.stubGlobal("navigator", { sendBeacon });
    const { server, client, connect } = createHarness({ unregisterOnPageHide: false });
    await connect();
    page.dispatchEvent(new Event("pagehide"));
    expect(server.stream.closed).toBe(true);
    expect(client.state).toBe("closed");
    expect(sendBeacon).not.toHaveBeenCalled();
    expect(server.requestsTo("/event-unregister")).toHaveLength(0);
  });

  it("stops without an unregister when asked, and with one otherwise", async () => {
    const quiet = createHarness();
    await quiet.connect();
    await quiet.client.stop({ unregister: false });
    expect(quiet.server.stream.closed).toBe(true);
    expect(quiet.server.requestsTo("/event-unregister")).toHaveLength(0);

    const polite = createHarness();
    await polite.connect();
    const stopped = polite.client.stop();
    await flush();
    expect(polite.server.requestsTo("/event-unregister")).toHaveLength(1);
    await stopped.catch(() => undefined);
  });
});
