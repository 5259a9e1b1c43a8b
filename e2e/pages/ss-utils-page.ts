import {
  expect,
  type Browser,
  type BrowserContext,
  type Locator,
  type Page,
} from "@playwright/test";
import {
  HARNESS_PATH,
  harnessHtml,
  startSsUtils,
  type ConnectInfo,
  type HarnessWindow,
  type SsStatic,
  type SsUtilsCall,
} from "./ss-utils-harness";

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
