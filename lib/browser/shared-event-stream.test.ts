import { describe, expect, it } from "vitest";
import { SharedEventStream } from "./shared-event-stream";
import { chat, FakeClient, settle, setupTabs as setup } from "./testing/tab-fakes";

describe("SharedEventStream", () => {
  it("elects one leader and opens one client for all tabs", async () => {
    const { open, clients } = setup();
    const a = open("a", ["home"]);
    const b = open("b", ["home"]);
    const c = open("c", ["lobby"]);
    await settle();
    expect([a.isLeader, b.isLeader, c.isLeader]).toEqual([true, false, false]);
    expect(clients).toHaveLength(1);
    expect(clients[0]!.channels.sort()).toEqual(["home", "lobby"]);
    expect(b.state).toBe("open");
  });

  it("relays messages to the tabs on their channels and direct messages to all", async () => {
    const { open, clients } = setup();
    const a = open("a", ["home"]);
    const b = open("b", ["lobby"]);
    const seen: Record<string, unknown[]> = { a: [], b: [] };
    a.onMessage((m) => seen.a!.push(m.body));
    b.onMessage((m) => seen.b!.push(m.body));
    await settle();
    clients[0]!.hooks.onMessage(chat("home", "to home"));
    clients[0]!.hooks.onMessage(chat("lobby", "to lobby"));
    clients[0]!.hooks.onMessage(chat(null, "to me"));
    await settle();
    expect(seen).toEqual({ a: ["to home", "to me"], b: ["to lobby", "to me"] });
  });

  it("hands over to the next tab when the leader closes, with every tab's channels", async () => {
    const { open, clients } = setup();
    const a = open("a", ["home"]);
    const b = open("b", ["home"]);
    const c = open("c", ["lobby"]);
    await settle();
    await a.close();
    await settle();
    expect(clients[0]!.stopped).toBe(true);
    expect([b.isLeader, c.isLeader]).toEqual([true, false]);
    expect(clients).toHaveLength(2);
    expect(clients[1]!.channels.sort()).toEqual(["home", "lobby"]);
    await b.close();
    await settle();
    expect(c.isLeader).toBe(true);
    expect(clients[2]!.channels).toEqual(["lobby"]);
  });

  it("subscribes and unsubscribes the shared subscription as tabs change channels", async () => {
    const { open, clients } = setup();
    open("a", ["home"]);
    const b = open("b", ["home"]);
    await settle();
    b.setChannels(["home", "news"]);
    await settle();
    expect(clients[0]!.channels.sort()).toEqual(["home", "news"]);
    await b.close();
    await settle();
    expect(clients[0]!.channels).toEqual(["home"]);
    expect(clients[0]!.updates).toEqual([
      { subscribeChannels: ["news"], unsubscribeChannels: [] },
      { subscribeChannels: [], unsubscribeChannels: ["news"] },
    ]);
  });

  it("ignores what another tab says in a dialect it does not understand", async () => {
    const { open, clients, hub } = setup();
    open("a", ["home"]);
    const b = open("b", ["home"]);
    const seen: unknown[] = [];
    b.onMessage((m) => seen.push(m.body));
    await settle();
    const infoBefore = b.info;
    const stranger = hub.open();
    stranger.postMessage(null);
    stranger.postMessage({ type: "message", message: { channel: "home", body: "no selector" } });
    stranger.postMessage({ type: "state", state: "open", info: { id: "x", displayName: 5 } });
    stranger.postMessage({ type: "channels", tabId: "z", channels: "home" });
    await settle();
    expect(seen).toEqual([]);
    expect(b.info).toBe(infoBefore);
    clients[0]!.hooks.onMessage(chat("home", "still works"));
    await settle();
    expect(seen).toEqual(["still works"]);
  });

  it("hands the stream over while a tab sleeps in the back/forward cache, and rejoins on restore", async () => {
    const { open, clients } = setup();
    const a = open("a", ["home"]);
    const b = open("b", ["lobby"]);
    const seenByA: unknown[] = [];
    a.onMessage((m) => seenByA.push(m.body));
    await settle();
    a.suspend();
    await settle();
    expect(clients[0]!.stopped).toBe(true);
    expect([a.isLeader, b.isLeader]).toEqual([false, true]);
    expect(clients[1]!.channels).toEqual(["lobby"]);
    a.resume();
    await settle();
    expect(clients[1]!.channels.sort()).toEqual(["home", "lobby"]);
    expect(a.state).toBe("open");
    clients[1]!.hooks.onMessage(chat("home", "after the restore"));
    await settle();
    expect(seenByA).toEqual(["after the restore"]);
  });

  it("opens a new client for a lone tab restored from the back/forward cache", async () => {
    const { open, clients } = setup();
    const a = open("a", ["home"]);
    const seen: unknown[] = [];
    a.onMessage((m) => seen.push(m.body));
    await settle();
    a.suspend();
    await settle();
    expect(clients[0]!.stopped).toBe(true);
    a.resume();
    await settle();
    expect(clients).toHaveLength(2);
    expect([a.isLeader, a.state]).toEqual([true, "open"]);
    clients[1]!.hooks.onMessage(chat(null, "to me"));
    expect(seen).toEqual(["to me"]);
  });

  it("has the tab that takes over resume from the last message any tab saw", async () => {
    const { open, clients } = setup();
    const a = open("a", ["home"]);
    const b = open("b", ["lobby"]);
    await settle();
    expect(clients[0]!.lastEventId).toBeUndefined();
    clients[0]!.hooks.onMessage(chat("home", "not b's channel, still seen", 41));
    clients[0]!.hooks.onMessage(chat(null, "a private message", 42));
    await settle();
    await a.close();
    await settle();
    expect(b.isLeader).toBe(true);
    expect(clients[1]!.lastEventId).toBe("42");
  });

  it("resumes a lone tab restored from the back/forward cache after what it saw", async () => {
    const { open, clients } = setup();
    const a = open("a", ["home"]);
    await settle();
    clients[0]!.hooks.onMessage(chat("home", "before the page slept", 7));
    a.suspend();
    a.resume();
    await settle();
    expect(clients[1]!.lastEventId).toBe("7");
  });

  it("leads alone without BroadcastChannel", () => {
    const clients: FakeClient[] = [];
    const stream = new SharedEventStream({
      name: "solo",
      channels: ["home"],
      broadcastChannel: null,
      createClient: (wanted, hooks) => {
        const client = new FakeClient(wanted, hooks);
        clients.push(client);
        return client;
      },
    });
    expect(stream.isLeader).toBe(true);
    expect(clients).toHaveLength(1);
  });
});
