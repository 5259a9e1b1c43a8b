import { expect, type Locator, type Page } from "@playwright/test";

/** The `/shapes` page: your canvas, the people drawing, and the canvas you watch. */
export class ShapesPage {
  readonly canvas: Locator;
  readonly mirror: Locator;

  constructor(readonly page: Page) {
    this.canvas = page.getByTestId("my-canvas");
    this.mirror = page.getByTestId("mirror-canvas");
  }

  async open(): Promise<this> {
    await this.page.goto("/shapes");
    await expect(this.page.getByTestId("connection-state")).toHaveAttribute("data-state", "open");
    return this;
  }

  async draw(kind: "Circle" | "Rectangle", x: number, y: number): Promise<void> {
    await this.page.getByRole("button", { name: kind }).click();
    const before = Number(await this.canvas.getAttribute("data-shape-count"));
    await this.canvas.click({ position: { x, y } });
    await expect(this.canvas).toHaveAttribute("data-shape-count", String(before + 1));
  }

  /** Picks a colour: from the row of swatches, or from the menu where the toolbar is narrow. */
  async chooseColour(hex: string): Promise<void> {
    const swatch = this.page.getByRole("button", { name: `Colour ${hex}` });
    if (await swatch.isVisible()) {
      await swatch.click();
      await expect(swatch).toHaveAttribute("aria-pressed", "true");
      return;
    }
    const menu = this.page.getByRole("button", { name: "Colours" });
    await menu.click();
    await swatch.click();
    // The menu closes on a choice; opened again, it shows the choice.
    await expect(swatch).toBeHidden();
    await menu.click();
    await expect(swatch).toHaveAttribute("aria-pressed", "true");
    await this.page.keyboard.press("Escape");
    await expect(swatch).toBeHidden();
  }

  /** Who this page draws as. */
  async myName(): Promise<string> {
    const line = this.page.getByText(/^Drawing as /u);
    await expect(line).toBeVisible();
    return ((await line.textContent()) ?? "").replace(/^Drawing as (\S+) .*$/u, "$1");
  }

  async undo(): Promise<void> {
    await this.page.getByRole("button", { name: "Undo" }).click();
  }

  async redo(): Promise<void> {
    await this.page.getByRole("button", { name: "Redo" }).click();
  }

  async watch(name: string): Promise<void> {
    await this.page.getByTestId(`drawer-${name}`).getByRole("button", { name: "Watch" }).click();
  }

  async stopWatching(): Promise<void> {
    await this.page.getByRole("button", { name: "Stop watching" }).click();
  }
}
