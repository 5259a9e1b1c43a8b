import { chromium } from "@playwright/test";
const base = "http://127.0.0.1:3100";
const out = "/tmp/ux/";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
async function shoot(page, name) { await page.waitForTimeout(600); await page.screenshot({ path: out + name + ".png", fullPage: false }); }
for (const [label, viewport] of [["desk", { width: 1280, height: 800 }], ["phone", { width: 390, height: 844 }]]) {
  const ctx = await browser.newContext({ viewport });
  const page = await ctx.newPage();
  page.on("console", (m) => { if (m.type() === "error") console.log(label, "console error:", m.text()); });
  page.on("pageerror", (e) => console.log(label, "pageerror:", e.message));
  await page.goto(base + "/"); await shoot(page, label + "-home");
  await page.goto(base + "/signup"); await shoot(page, label + "-signup-empty");
  const name = "walk" + label + Date.now() % 100000;
  await page.getByLabel(/name/i).first().fill(name);
  await page.getByLabel(/password/i).first().fill("short");
  await shoot(page, label + "-signup-short");
  await page.getByLabel(/password/i).first().fill("correct horse battery");
  await page.getByRole("button", { name: /sign up|create/i }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/signup"), { timeout: 20000 }); await shoot(page, label + "-after-signup");
  await page.goto(base + "/chat"); await page.waitForTimeout(1500); await shoot(page, label + "-chat");
  const box = page.getByRole("textbox").last();
  await box.fill("hello from " + label); await box.press("Enter");
  await box.fill("/cmd.announce Standup in 5"); await box.press("Enter");
  await box.fill("/nonsense hi"); await box.press("Enter");
  await shoot(page, label + "-chat-after");
  await page.goto(base + "/shapes"); await page.waitForTimeout(1500); await shoot(page, label + "-shapes");
  await page.goto(base + "/account"); await shoot(page, label + "-account");
  await page.goto(base + "/admin"); await shoot(page, label + "-admin");
  await page.goto(base + "/nope"); await shoot(page, label + "-404");
  await ctx.close();
}
await browser.close();
