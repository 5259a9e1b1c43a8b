import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

/**
 * A page that runs ServiceStack's jQuery client, `ss-utils` (the npm package, with jQuery), against
 * our server, the way ServiceStack's Chat app uses it: a native EventSource handed to
 * `$(source).handleServerEvents({ handlers, receivers })`, with `window` and `document` registered
 * in `$.ss.eventReceivers`. Every handler records what it got and shows it on the page.
 *
 * The page is not served by the app: Playwright answers its URL, on the app's origin, with HTML
 * that inlines both scripts from node_modules. It is same-origin with the server (the stream, the
 * heartbeats and the services carry the page's cookies) and runs without the app's CSP.
 */
export const HARNESS_PATH = "/__ssutils-harness";

const require = createRequire(import.meta.url);
const jquerySource = readFileSync(require.resolve("jquery/dist/jquery.min.js"), "utf8");
const ssUtilsSource = readFileSync(require.resolve("ss-utils/ss-utils.js"), "utf8");

export const harnessHtml = `<!doctype html>
<html>
  <head><meta charset="utf-8"><title>ss-utils</title><link rel="icon" href="data:,"></head>
  <body>
    <h1 id="me"></h1>
    <p id="announce"></p>
    <div id="top"><span class="label">top</span></div>
    <section id="panel">panel</section>
    <div id="tv" hidden></div>
    <div id="tv-side"></div>
    <ul id="users" aria-label="Users"></ul>
    <ul id="chat" aria-label="Chat"></ul>
    <ul id="triggered" aria-label="Triggered"></ul>
    <script>${jquerySource}</script>
    <script>${ssUtilsSource}</script>
  </body>
</html>`;

/** What one ss-utils handler (or receiver, or trigger listener) was called with. */
export interface SsUtilsCall {
  /** The handler's name: `onConnect`, `onJoin`, `chat`, `onMessage`, `tv.watch`, … */
  handler: string;
  /** The message ss-utils parsed from the frame's JSON (null for an empty body). */
  msg: unknown;
  /** `e.channel`: the `channel@` prefix ss-utils split off, or null. */
  channel: string | null;
  /** `e.selector`: the selector without the channel. */
  selector: string | null;
  /** What `this` was: an element's id, `body`, or null for anything else. */
  self: string | null;
  /** `performance.now()` when it was called. */
  at: number;
}

/** The subset of ServiceStack's `cmd.onConnect` that the tests read; every value is a string. */
export type ConnectInfo = Record<string, unknown> & {
  id: string;
  displayName: string;
  heartbeatUrl: string;
};

/** The parts of `$.ss` the page reads (ss-utils 0.1.9, `ss-utils.d.ts`). */
export interface SsStatic {
  eventReceivers: Record<string, unknown>;
  eventChannels: string[];
  eventSourceUrl: string | null;
  updateSubscriberUrl: string | null;
  subscribeToChannels(
    channels: string[],
    cb: (r: { channels: string[] }) => void,
    cbError: (xhr: { status: number; responseText: string }) => void,
  ): unknown;
  unsubscribeFromChannels(
    channels: string[],
    cb: (r: { channels: string[] }) => void,
    cbError: (xhr: { status: number; responseText: string }) => void,
  ): unknown;
}

interface JQueryLike {
  (target: unknown): {
    handleServerEvents(options: object): void;
    on(events: string, handler: (event: { target: unknown }, ...args: unknown[]) => void): void;
  };
  getJSON(url: string): PromiseLike<unknown>;
  ss: SsStatic;
}

/** A `MessageEvent` after ss-utils has added its fields to it. */
interface SsUtilsEvent extends MessageEvent<string> {
  channel?: string;
  selector?: string;
}

export interface HarnessWindow {
  jQuery: JQueryLike;
  ssCalls: SsUtilsCall[];
}

/** Runs in the page: opens the stream and hands it to ss-utils. Self-contained (serialized). */
export function startSsUtils(streamUrl: string): void {
  const w = window as unknown as HarnessWindow;
  const $ = w.jQuery;
  const calls: SsUtilsCall[] = (w.ssCalls = []);
  const byId = (id: string) => document.getElementById(id) as HTMLElement;
  const record = (handler: string, self: unknown, msg: unknown, e?: SsUtilsEvent) => {
    calls.push({
      handler,
      msg,
      channel: e?.channel ?? null,
      selector: e?.selector ?? null,
      self: self === document.body ? "body" : self instanceof HTMLElement ? self.id : null,
      at: performance.now(),
    });
  };
  const addItem = (list: string, text: string, name = text) => {
    const item = document.createElement("li");
    item.dataset.name = name;
    item.textContent = text;
    byId(list).append(item);
  };
  type Handler = (this: unknown, msg: never, e: SsUtilsEvent) => void;
  const handlers: Record<string, Handler> = {
    onConnect(this: unknown, sub: { displayName: string }, e) {
      record("onConnect", this, sub, e);
      byId("me").textContent = sub.displayName;
    },
    onJoin(this: unknown, user: { displayName: string }, e) {
      record("onJoin", this, user, e);
      const listed = [...byId("users").children].some(
        (item) => (item as HTMLElement).dataset.name === user.displayName,
      );
      if (!listed) addItem("users", user.displayName);
    },
    onLeave(this: unknown, user: { displayName: string }, e) {
      record("onLeave", this, user, e);
      for (const item of [...byId("users").children])
        if ((item as HTMLElement).dataset.name === user.displayName) item.remove();
    },
    onUpdate(this: unknown, user: unknown, e) {
      record("onUpdate", this, user, e);
    },
    onHeartbeat(this: unknown, meta: unknown, e) {
      record("onHeartbeat", this, meta, e);
    },
    onMessage(this: unknown, msg: unknown, e) {
      record("onMessage", this, msg, e);
    },
    chat(this: unknown, msg: { fromName: string; message: string }, e) {
      record("chat", this, msg, e);
      addItem("chat", `${msg.fromName}: ${msg.message}`, msg.fromName);
    },
    announce(this: unknown, msg: string, e) {
      record("announce", this, msg, e);
      byId("announce").textContent = msg;
    },
    paint(this: unknown, msg: string, e) {
      record("paint", this, msg, e);
      if (this instanceof HTMLElement) this.textContent = msg;
    },
    toggle(this: unknown, msg: unknown, e) {
      record("toggle", this, msg, e);
      if (this instanceof HTMLElement) this.hidden = !this.hidden;
    },
  };
  const tv = {
    watch(this: unknown, url: string, e: SsUtilsEvent) {
      record("tv.watch", this, url, e);
      const screen = this instanceof HTMLElement ? this : byId("tv");
      screen.textContent = url;
      screen.hidden = false;
    },
    off(this: unknown, msg: unknown, e: SsUtilsEvent) {
      record("tv.off", this, msg, e);
      byId("tv").hidden = true;
      byId("tv").textContent = "";
    },
  };

  // As ServiceStack's docs register them ("Registering Receivers").
  $.ss.eventReceivers = { window, document };
  $(document).on("customEvent", (event, msg, e) => {
    const target = event.target instanceof HTMLElement ? event.target.id : "document";
    record("trigger.customEvent", event.target, msg, e as SsUtilsEvent);
    addItem("triggered", `${target}: ${String(msg)}`, target);
  });
  $(new EventSource(streamUrl)).handleServerEvents({ handlers, receivers: { tv } });
}
