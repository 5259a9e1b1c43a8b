import { expect, type Locator, type Page } from "@playwright/test";

type Total = "subscriptions" | "channels" | "messagesPerSecond" | "instances";

/** `/admin` as an operator uses it. */
export class AdminPage {
  readonly connection: Locator;
  readonly notice: Locator;

  constructor(readonly page: Page) {
    this.connection = page.getByTestId("connection-state");
    this.notice = page.getByTestId("admin-notice");
  }

  async open(): Promise<this> {
    await this.page.goto("/admin");
    await expect(this.page.getByRole("heading", { name: "Operator dashboard" })).toBeVisible();
    await expect(this.connection).toHaveAttribute("data-state", "open");
    return this;
  }

  /** A total as shown, by its label (`Subscriptions`, `Messages/s`, …). */
  total(label: string): Locator {
    return this.page.getByRole("definition").and(this.page.getByLabel(label, { exact: true }));
  }

  /** A total's exact value (the card shows it rounded). */
  async value(total: Total): Promise<number> {
    const card = this.page.getByTestId(`total-${total}`).locator("dd[data-value]");
    return Number(await card.getAttribute("data-value"));
  }

  channelRow(name: string): Locator {
    return this.page.getByTestId("channel-row").filter({ hasText: name });
  }

  subscriptionRow(user: string): Locator {
    return this.page.locator(`[data-testid=subscription-row][data-user="${user}"]`);
  }

  /** One subscription's row, by the handle the overview gives it. */
  subscriptionRowByHandle(handle: string): Locator {
    return this.page.locator(`[data-testid=subscription-row][data-handle="${handle}"]`);
  }

  /** Clicks an action, then its confirmation. */
  async confirm(action: Locator, confirmLabel: string): Promise<void> {
    await action.click();
    await this.page.getByRole("group").getByRole("button", { name: confirmLabel }).click();
  }
}
