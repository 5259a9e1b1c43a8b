import { expect, type Locator, type Page } from "@playwright/test";

/** The `/chat` page as a person uses it. */
export class ChatPage {
  readonly log: Locator;
  readonly input: Locator;
  readonly connection: Locator;
  readonly announcement: Locator;

  constructor(readonly page: Page) {
    this.log = page.getByRole("log", { name: "Messages" });
    this.input = page.getByRole("textbox", { name: "Message" });
    this.connection = page.getByTestId("connection-state");
    this.announcement = page.getByTestId("announcement");
  }

  async open(channels: string[]): Promise<this> {
    await this.page.goto(`/chat?channels=${channels.join(",")}`);
    await this.expectConnected();
    return this;
  }

  async expectConnected(): Promise<void> {
    await expect(this.connection).toHaveAttribute("data-state", "open");
  }

  async send(text: string): Promise<void> {
    await expect(this.input).toBeEnabled();
    await this.input.fill(text);
    await this.input.press("Enter");
    await expect(this.input).toHaveValue("");
  }

  /** Types `text` and presses Enter; the chat refuses it, says why, and keeps it in the box. */
  async sendRefused(text: string): Promise<Locator> {
    await expect(this.input).toBeEnabled();
    await this.input.fill(text);
    await this.input.press("Enter");
    await expect(this.composerError).toBeVisible();
    await expect(this.input).toHaveValue(text);
    return this.composerError;
  }

  get composerError(): Locator {
    return this.page.getByTestId("composer-error");
  }

  /** A direct conversation in the channel list (`me` for notes to yourself). */
  conversation(name: string): Locator {
    return this.page
      .getByRole("list", { name: "Direct messages" })
      .getByTestId(`conversation-${name}`);
  }

  async openConversation(name: string): Promise<void> {
    await this.conversation(name).click();
    await expect(this.page.getByRole("heading", { level: 1 })).toHaveText(`@${name}`);
  }

  /** Who this page says you are, from the stream's `cmd.onConnect`. */
  async myName(): Promise<string> {
    await this.expectConnected();
    const me = this.page.getByTestId("me");
    await expect(me).toHaveText(/^You are /u);
    return ((await me.textContent()) ?? "").replace(/^You are /u, "");
  }

  message(text: string | RegExp): Locator {
    return this.log.getByTestId("chat-message").filter({ hasText: text });
  }

  systemEntry(text: string | RegExp): Locator {
    return this.log.getByTestId("system-entry").filter({ hasText: text });
  }

  /** On a phone the people in the channel are behind a button; elsewhere always shown. */
  async showUsers(): Promise<void> {
    const toggle = this.page.getByRole("button", { name: /^Users · / });
    if ((await toggle.isVisible()) && (await toggle.getAttribute("aria-expanded")) !== "true")
      await toggle.click();
  }

  user(name: string): Locator {
    return this.page.getByRole("list", { name: /^Users in/ }).getByTestId(`user-${name}`);
  }

  channelButton(name: string): Locator {
    return this.page.getByRole("list", { name: "Channels" }).getByTestId(`channel-${name}`);
  }

  async joinChannel(name: string): Promise<void> {
    await this.page.getByRole("textbox", { name: "Channel to join" }).fill(name);
    await this.page.getByRole("button", { name: "Join", exact: true }).click();
    await expect(this.page.getByRole("heading", { level: 1 })).toHaveText(`#${name}`);
  }

  async selectChannel(name: string): Promise<void> {
    await this.channelButton(name).click();
    await expect(this.page.getByRole("heading", { level: 1 })).toHaveText(`#${name}`);
  }

  /** This tab's subscription id (a capability: only its own page can read it). */
  async subscriptionId(): Promise<string> {
    await this.expectConnected();
    return this.page.evaluate(
      () => document.querySelector("#top")?.getAttribute("data-subscription-id") ?? "",
    );
  }
}
