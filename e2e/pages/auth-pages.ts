import { expect, type Page } from "@playwright/test";

export const E2E_PASSWORD = "correct-horse-battery";

/** Signs up through the form; signs in instead when the name already exists on this server. */
export async function signUpOrIn(page: Page, name: string, password = E2E_PASSWORD): Promise<void> {
  await page.goto("/signup?next=/");
  await page.getByRole("textbox", { name: "Name" }).fill(name);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  const taken = page.getByText("That name is taken");
  const signedIn = page.getByTestId("nav-user");
  // The first sign-up on a fresh server also starts the embedded database (PGlite): slow on a
  // busy machine, so it gets longer than the default 15 s. Attached, not visible: a phone's
  // header shows the avatar only, with the name hidden.
  await expect(taken.or(signedIn)).toBeAttached({ timeout: 45_000 });
  if (await taken.isVisible()) {
    await page.goto("/signin?next=/");
    await page.getByRole("textbox", { name: "Name" }).fill(name);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
  }
  await expect(signedIn).toHaveText(name);
}

/** "Continue as guest": anonymous, with a guest session cookie. */
export async function continueAsGuest(page: Page): Promise<void> {
  await page.goto("/signin?next=/");
  await page.getByRole("button", { name: "Continue as guest" }).click();
  await expect(page).toHaveURL(/\/$/u);
}
