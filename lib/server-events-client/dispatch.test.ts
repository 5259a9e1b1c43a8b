import { afterEach, describe, expect, it, vi } from "vitest";
import { findElement } from "./browser";
import { dispatchMessage, type DispatchContext } from "./dispatch";
import { parseServerEventData } from "./message-parser";
import { NewInstanceResolver } from "./receivers";

function setup(overrides: Partial<DispatchContext> = {}) {
  const connect = vi.fn<DispatchContext["connect"]>();
  const raiseEvent = vi.fn<DispatchContext["raiseEvent"]>();
  const applyCss = vi.fn<DispatchContext["applyCss"]>();
  const onIgnored = vi.fn<DispatchContext["onIgnored"]>();
  const ctx: DispatchContext = {
    handlers: {},
    receivers: {},
    resolver: new NewInstanceResolver(),
    client: "client",
    policy: {},
    onIgnored,
    connect,
    raiseEvent,
    applyCss,
    findElement: () => undefined,
    ...overrides,
  };
  const dispatch = (data: string) => dispatchMessage(ctx, parseServerEventData(data, 5));
  return { connect, raiseEvent, applyCss, onIgnored, dispatch };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("dispatchMessage", () => {
  it("gives cmd.onConnect the merged body and fires no onMessage", () => {
    const onMessage = vi.fn();
    const { connect, dispatch } = setup({ handlers: { onMessage } });
    dispatch('cmd.onConnect {"id":"sub","heartbeatIntervalMs":"10000"}');
    expect(connect).toHaveBeenCalledWith(
      expect.objectContaining({
        id: "sub",
        heartbeatIntervalMs: "10000",
        selector: "cmd.onConnect",
      }),
      expect.objectContaining({ body: { id: "sub", heartbeatIntervalMs: "10000" } }),
    );
    expect(onMessage).not.toHaveBeenCalled();
  });

  it("calls onJoin then onCommand with the merged body, not onMessage", () => {
    const order: string[] = [];
    const handlers = {
      onJoin: vi.fn(() => order.push("join")),
      onCommand: vi.fn(() => order.push("command")),
      onMessage: vi.fn(),
    };
    const { dispatch } = setup({ handlers });
    dispatch('home@cmd.onJoin {"displayName":"user2","channels":"home"}');
    expect(order).toEqual(["join", "command"]);
    expect(handlers.onJoin).toHaveBeenCalledWith(
      expect.objectContaining({ displayName: "user2", channel: "home", type: "ServerEventJoin" }),
    );
    expect(handlers.onMessage).not.toHaveBeenCalled();
  });

  it("gives cmd.onHeartbeat the raw body", () => {
    const onHeartbeat = vi.fn();
    const { dispatch } = setup({ handlers: { onHeartbeat } });
    dispatch('cmd.onHeartbeat {"userId":"-1"}');
    expect(onHeartbeat).toHaveBeenCalledWith(
      { userId: "-1" },
      expect.objectContaining({ eventId: 5 }),
    );
  });

  it("routes cmd.X to handlers.X(body, message), skipping the global receiver, then onMessage", () => {
    const chat = vi.fn();
    const onMessage = vi.fn();
    const receiver = { chat: vi.fn() };
    const { dispatch } = setup({ handlers: { chat, onMessage }, receivers: { cmd: receiver } });
    dispatch('home@cmd.chat {"message":"hi"}');
    expect(chat).toHaveBeenCalledWith(
      { message: "hi" },
      expect.objectContaining({ channel: "home" }),
    );
    expect(receiver.chat).not.toHaveBeenCalled();
    expect(onMessage).toHaveBeenCalledWith(
      expect.objectContaining({ message: "hi", selector: "cmd.chat" }),
    );
  });

  it("runs the global receiver exactly once when no handler matches", () => {
    const receiver = { CustomType: vi.fn() };
    const { dispatch } = setup({ receivers: { cmd: receiver } });
    dispatch('cmd.CustomType {"id":1}');
    expect(receiver.CustomType).toHaveBeenCalledTimes(1);
    expect(receiver.CustomType).toHaveBeenCalledWith({ id: 1 }, expect.anything());
  });

  it("raises trigger.X to listeners then the trigger receiver", () => {
    const receiver = { customEvent: vi.fn() };
    const { raiseEvent, dispatch } = setup({ receivers: { trigger: receiver } });
    dispatch('trigger.customEvent "arg"');
    expect(raiseEvent).toHaveBeenCalledWith(
      "customEvent",
      expect.objectContaining({ body: "arg" }),
    );
    expect(receiver.customEvent).toHaveBeenCalledWith("arg", expect.anything());
  });

  it("applies css.prop$sel, defaulting the selector to body, then calls the css receiver", () => {
    vi.stubGlobal("location", { href: "http://h/chat" });
    const receiver = { backgroundImage: vi.fn() };
    const { applyCss, dispatch } = setup({ receivers: { css: receiver } });
    dispatch('css.background-image$#top "url(/img/x.png)"');
    dispatch('css.color "red"');
    expect(applyCss).toHaveBeenNthCalledWith(1, "#top", "background-image", "url(/img/x.png)");
    expect(applyCss).toHaveBeenNthCalledWith(2, "body", "color", "red");
    expect(receiver.backgroundImage).toHaveBeenCalledTimes(1);
  });

  it("routes other ops to the named receiver, then onMessage", () => {
    const receiver = { fooMethod: vi.fn() };
    const onMessage = vi.fn();
    const { dispatch } = setup({ receivers: { test: receiver }, handlers: { onMessage } });
    dispatch('test.fooMethod {"id":1}');
    expect(receiver.fooMethod).toHaveBeenCalledWith({ id: 1 }, expect.anything());
    expect(onMessage).toHaveBeenCalledTimes(1);
  });

  it("drops a message when validate returns false", () => {
    const chat = vi.fn();
    const { dispatch } = setup({ handlers: { chat }, validate: (r) => r.channel !== "blocked" });
    expect(dispatch('blocked@cmd.chat "x"')).toBe(false);
    expect(dispatch('open@cmd.chat "y"')).toBe(true);
    expect(chat).toHaveBeenCalledTimes(1);
  });

  it("refuses forged system commands before any handler, validate or onMessage sees them", () => {
    const handlers = { onJoin: vi.fn(), onHeartbeat: vi.fn(), onMessage: vi.fn() };
    const validate = vi.fn(() => true);
    const { connect, onIgnored, dispatch } = setup({ handlers, validate });
    expect(dispatch('home@cmd.onConnect {"id":"evil"}')).toBe(false);
    expect(dispatch("home@cmd.onHeartbeat {}")).toBe(false);
    expect(dispatch('cmd.onJoin {"displayName":"ghost"}')).toBe(false);
    expect(connect).not.toHaveBeenCalled();
    expect(validate).not.toHaveBeenCalled();
    expect(Object.values(handlers).flatMap((h) => h.mock.calls)).toEqual([]);
    expect(onIgnored.mock.calls.map(([, r]) => r.selector)).toEqual([
      "cmd.onConnect",
      "cmd.onHeartbeat",
      "cmd.onJoin",
    ]);
  });

  it("gives window.location to the window receiver only for the page's origin", () => {
    vi.stubGlobal("location", { href: "http://h/chat" });
    const window = { location: "" };
    const { onIgnored, dispatch } = setup({ receivers: { window } });
    expect(dispatch('window.location "https://evil.example/x"')).toBe(false);
    expect(dispatch('window.LOCATION "javascript:alert(1)"')).toBe(false);
    expect(window.location).toBe("");
    expect(onIgnored).toHaveBeenCalledWith(
      expect.stringMatching(/allowedLocationOrigins/),
      expect.objectContaining({ selector: "window.location" }),
    );
    expect(dispatch('window.location "/shapes"')).toBe(true);
    expect(window.location).toBe("/shapes");
  });

  it("refuses css values that would load another origin's URL", () => {
    vi.stubGlobal("location", { href: "http://h/chat" });
    const receiver = { backgroundImage: vi.fn() };
    const { applyCss, onIgnored, dispatch } = setup({ receivers: { css: receiver } });
    expect(dispatch('css.background-image$#top "url(https://evil.example/x.png)"')).toBe(false);
    expect(dispatch('css.background-image "u\\\\rl(https://evil.example/x.png)"')).toBe(false);
    expect(applyCss).not.toHaveBeenCalled();
    expect(receiver.backgroundImage).not.toHaveBeenCalled();
    expect(onIgnored).toHaveBeenCalledTimes(2);
  });

  it("hands css values to receivers as sent when there is no page to load them", () => {
    const receiver = { backgroundImage: vi.fn() };
    const { onIgnored, dispatch } = setup({ receivers: { css: receiver } });
    expect(dispatch('css.background-image$#top "url(http://bit.ly/1yIJOBH)"')).toBe(true);
    expect(receiver.backgroundImage).toHaveBeenCalledWith(
      "url(http://bit.ly/1yIJOBH)",
      expect.anything(),
    );
    expect(onIgnored).not.toHaveBeenCalled();
  });

  it("calls receivers on the $selector's element or else on themselves, handlers on it or else on body", () => {
    const body = { tagName: "BODY" };
    const top = { tagName: "DIV" };
    vi.stubGlobal("document", {
      body,
      querySelector: (selector: string) => (selector === "#top" ? top : null),
      querySelectorAll: () => [],
    });
    const thisOfEachCall: unknown[] = [];
    function record(this: unknown): void {
      thisOfEachCall.push(this);
    }
    const tv = { watch: record };
    const global = { toggle: record };
    const { dispatch } = setup({
      handlers: { announce: record },
      receivers: { tv, cmd: global },
      findElement,
    });
    dispatch('tv.watch "no selector"');
    dispatch('tv.watch$#top "matched"');
    dispatch('tv.watch$#missing "unmatched"');
    dispatch('cmd.toggle "global receiver"');
    dispatch('cmd.announce "handler"');
    dispatch('cmd.announce$#top "handler, matched"');
    const names = new Map<unknown, string>([
      [tv, "tv"],
      [global, "cmd receiver"],
      [top, "#top"],
      [body, "body"],
    ]);
    expect(thisOfEachCall.map((self) => names.get(self) ?? "something else")).toEqual([
      "tv",
      "#top",
      "tv",
      "cmd receiver",
      "body",
      "#top",
    ]);
  });

  it("looks up no op or target among the members every object inherits", () => {
    const { dispatch } = setup({ receivers: { cmd: { noSuchMethod: vi.fn() } } });
    expect(() => {
      dispatch('__proto__.client {"polluted":true}');
      dispatch('constructor.prototype {"polluted":true}');
      dispatch('cmd.__defineSetter__ "x"');
      dispatch('cmd.constructor "x"');
    }).not.toThrow();
    expect(({} as Record<string, unknown>).client).toBeUndefined();
    expect(Object.hasOwn(Object.prototype, "client")).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
