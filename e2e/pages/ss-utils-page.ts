import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import {
  expect,
  type Browser,
  type BrowserContext,
  type Locator,
  type Page,
} from "@playwright/test";

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

const harnessHtml = `<!doctype html>
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
interface SsStatic {
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

interface HarnessWindow {
  jQuery: JQueryLike;
  ssCalls: SsUtilsCall[];
}

/** Runs in the page: opens the stream and hands it to ss-utils. Self-contained (serialized). */
function startSsUtils(streamUrl: string): void {
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

/** An entry of `/event-subscribers`. */
export interface Member {
  displayName: string;
  channels: string;
}

/** A call to an endpoint as the browser made it. */
export interface RecordedRequest {
  method: string;
  url: string;
  status: number;
  body: string | null;
}

/** One ss-utils client in its own browser context (its own cookies and connections). */
export class SsUtilsPage {
  readonly me: Locator;
  readonly announce: Locator;
  readonly top: Locator;
  readonly panel: Locator;
  readonly tv: Locator;
  readonly tvSide: Locator;
  readonly users: Locator;
  readonly chat: Locator;
  readonly triggered: Locator;
  /** Heartbeat requests ss-utils made, with their answers. */
  readonly heartbeats: RecordedRequest[] = [];
  /** Uncaught errors and console errors: ss-utils throws on frames it cannot parse. */
  readonly errors: string[] = [];
  /** The `cmd.onConnect` values ss-utils received. */
  info!: ConnectInfo;

  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
  ) {
    this.me = page.locator("#me");
    this.announce = page.locator("#announce");
    this.top = page.locator("#top");
    this.panel = page.locator("#panel");
    this.tv = page.locator("#tv");
    this.tvSide = page.locator("#tv-side");
    this.users = page.getByRole("list", { name: "Users" });
    this.chat = page.getByRole("list", { name: "Chat" });
    this.triggered = page.getByRole("list", { name: "Triggered" });
    page.on("pageerror", (error) => this.errors.push(error.message));
    page.on("console", (message) => {
      if (message.type() === "error") this.errors.push(message.text());
    });
    page.on("response", (response) => {
      const request = response.request();
      if (new URL(request.url()).pathname !== "/event-heartbeat") return;
      this.heartbeats.push({
        method: request.method(),
        url: request.url(),
        status: response.status(),
        body: request.postData(),
      });
    });
  }

  /** Opens a fresh browser context on the harness and waits for ss-utils' onConnect. */
  static async open(browser: Browser, baseUrl: string, channels: string[]): Promise<SsUtilsPage> {
    const context = await browser.newContext();
    await context.route(
      (url) => url.origin === baseUrl && url.pathname === HARNESS_PATH,
      (route) => route.fulfill({ contentType: "text/html; charset=utf-8", body: harnessHtml }),
    );
    const client = new SsUtilsPage(context, await context.newPage());
    await client.page.goto(`${baseUrl}${HARNESS_PATH}`);
    await client.page.evaluate(startSsUtils, `/event-stream?channels=${channels.join(",")}`);
    await expect(client.me).not.toBeEmpty();
    const [connect] = await client.calls("onConnect");
    client.info = connect?.msg as ConnectInfo;
    return client;
  }

  /** What ss-utils' handlers were called with so far, oldest first; only `handler`'s calls when given. */
  async calls(handler?: string): Promise<SsUtilsCall[]> {
    const calls = await this.page.evaluate(() => (window as unknown as HarnessWindow).ssCalls);
    return handler === undefined ? calls : calls.filter((call) => call.handler === handler);
  }

  /** `$.ss`'s own state: the channels it believes it is in, and the URLs it keeps. */
  ssState(): Promise<Pick<SsStatic, "eventChannels" | "eventSourceUrl" | "updateSubscriberUrl">> {
    return this.page.evaluate(() => {
      const { eventChannels, eventSourceUrl, updateSubscriberUrl } = (
        window as unknown as HarnessWindow
      ).jQuery.ss;
      return { eventChannels, eventSourceUrl, updateSubscriberUrl };
    });
  }

  /** `POST /api/{operation}` from the page (its cookies), sent as this client's subscription. */
  async publish(
    operation: "PostRawToChannel" | "PostChatToChannel",
    body: Record<string, unknown>,
  ): Promise<void> {
    const answer = await this.page.evaluate(
      async ({ url, payload }) => {
        const response = await fetch(url, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify(payload),
        });
        return { status: response.status, text: await response.text() };
      },
      { url: `/api/${operation}`, payload: { from: this.info.id, ...body } },
    );
    expect(answer.status, answer.text).toBe(200);
  }

  /** Sends `selector message` to `channel` (PostRawToChannel); `null` sends an empty body. */
  raw(channel: string, selector: string, message: string | null): Promise<void> {
    return this.publish("PostRawToChannel", { channel, selector, message });
  }

  /** `$.ss.subscribeToChannels(channels, cb)`; resolves with the channels ss-utils reports. */
  subscribeToChannels(channels: string[]): Promise<string[]> {
    return this.page.evaluate(
      (names) =>
        new Promise<string[]>((resolve, reject) => {
          (window as unknown as HarnessWindow).jQuery.ss.subscribeToChannels(
            names,
            (r) => resolve(r.channels),
            (xhr) => reject(new Error(`${xhr.status} ${xhr.responseText}`)),
          );
        }),
      channels,
    );
  }

  /** `$.ss.unsubscribeFromChannels(channels, cb)`; resolves with the channels ss-utils reports. */
  unsubscribeFromChannels(channels: string[]): Promise<string[]> {
    return this.page.evaluate(
      (names) =>
        new Promise<string[]>((resolve, reject) => {
          (window as unknown as HarnessWindow).jQuery.ss.unsubscribeFromChannels(
            names,
            (r) => resolve(r.channels),
            (xhr) => reject(new Error(`${xhr.status} ${xhr.responseText}`)),
          );
        }),
      channels,
    );
  }

  /** The members of `channels` as ServiceStack's Chat app loads them: `$.getJSON('/event-subscribers?…')`. */
  subscribers(channels: string[]): Promise<Member[]> {
    return this.page.evaluate(
      async (url) => (await (window as unknown as HarnessWindow).jQuery.getJSON(url)) as Member[],
      `/event-subscribers?channels=${channels.join(",")}`,
    );
  }

  user(name: string): Locator {
    return this.users.getByText(name, { exact: true });
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}
