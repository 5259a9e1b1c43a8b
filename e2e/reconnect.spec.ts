import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createThrowawayDatabase, type ThrowawayDatabase } from "./api/support/database";
import { startNextServer, type NextServer } from "./api/support/next-server";
import { expect, openPerson, test, type Person } from "./fixtures/users";
import type { ChatPage } from "./pages/chat-page";

/**
 * The page reconnects by itself after its server restarts. These tests start (and restart) their
 * own `next start` servers from the existing build, so they ignore the config's webServer.
 *
 * In memory a restart forgets every subscription and the replay log: the pages must come back,
 * reappear in each other's user lists and chat again. The accounts are kept on disk (PGLITE_DIR)
 * across that restart: a session whose account is gone is no one, and would come back a guest. With Postgres (DATABASE_URL) the history
 * survives, so what was said while Bob's instance was down must show up on his page afterwards.
 */
const authEnv = {
  AUTH_SECRET: process.env.AUTH_SECRET ?? "e2e-secret-at-least-32-characters-long!!",
  AUTH_TRUST_HOST: "true",
  LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
};

/** Backed-off retries may wait up to ~16 s after a restart that took a few seconds. */
const RECONNECT_TIMEOUT = 45_000;

/** Marks the document, so that a reload (which would also "reconnect") is caught. */
async function markDocument(chat: ChatPage): Promise<void> {
  await chat.page.evaluate(() => Object.assign(window, { e2eLived: true }));
}

async function expectReconnecting(chat: ChatPage): Promise<void> {
  await expect(chat.connection).toHaveAttribute("data-state", "reconnecting");
  await expect(chat.connection).toHaveText(/^Reconnecting/u);
}

/** Back to "Connected" by itself: the same document, never reloaded. */
async function expectReconnected(chat: ChatPage): Promise<void> {
  await expect(chat.connection).toHaveAttribute("data-state", "open", {
    timeout: RECONNECT_TIMEOUT,
  });
  await expect(chat.connection).toHaveText("Connected");
  expect(await chat.page.evaluate(() => "e2eLived" in window)).toBe(true);
}

test.describe("reconnect after a server restart", () => {
  test.describe.configure({ timeout: 240_000 });

  const servers: NextServer[] = [];
  const people: Person[] = [];
  let database: ThrowawayDatabase | undefined;
  let accountsDir: string | undefined;

  async function start(env: Record<string, string>, port?: number): Promise<NextServer> {
    const server = await startNextServer({ env: { ...authEnv, ...env }, port });
    servers.push(server);
    return server;
  }

  test.afterEach(async () => {
    await Promise.all(people.splice(0).map((p) => p.context.close().catch(() => undefined)));
    await Promise.all(servers.splice(0).map((server) => server.stop()));
    await database?.drop();
    database = undefined;
    if (accountsDir) await rm(accountsDir, { recursive: true, force: true });
    accountsDir = undefined;
  });

  test("in memory: both pages come back by themselves and chat again", async ({
    browser,
    room,
  }) => {
    const accounts = (accountsDir = await mkdtemp(path.join(tmpdir(), "se-accounts-")));
    const server = await start({ PGLITE_DIR: accounts });
    const alice = await openPerson(browser, { baseURL: server.baseUrl, userName: "alice" });
    const bob = await openPerson(browser, { baseURL: server.baseUrl, userName: "bob" });
    people.push(alice, bob);
    const aliceChat = await alice.chat().open([room]);
    const bobChat = await bob.chat().open([room]);
    await expect(aliceChat.user("bob")).toBeVisible();
    await aliceChat.send("before the restart");
    await expect(bobChat.message("before the restart")).toBeVisible();
    await markDocument(aliceChat);
    await markDocument(bobChat);

    await server.stop();
    await expectReconnecting(aliceChat);
    await expectReconnecting(bobChat);

    await start({ PGLITE_DIR: accounts }, server.port);
    await expectReconnected(aliceChat);
    await expectReconnected(bobChat);
    // The new server knew nobody: each page subscribed again and reloaded the user list.
    await expect(aliceChat.user("bob")).toBeVisible();
    await expect(aliceChat.user("alice")).toBeVisible();
    await expect(bobChat.user("alice")).toBeVisible();
    await expect(bobChat.user("bob")).toBeVisible();

    await aliceChat.send("after the restart");
    await expect(bobChat.message("after the restart")).toBeVisible();
    await bobChat.send("welcome back");
    await expect(aliceChat.message("welcome back")).toBeVisible();
    // What was on screen before the restart stays there.
    await expect(bobChat.message("before the restart")).toHaveCount(1);
    await expect(aliceChat.message("before the restart")).toHaveCount(1);
  });

  test("with Postgres: what was said while Bob's instance was down shows up on his page", async ({
    browser,
    room,
  }) => {
    database = await createThrowawayDatabase("server_events_e2e");
    const cluster = {
      DATABASE_URL: database.url,
      SSE_HOUSEKEEPING_INTERVAL_MS: "1000",
    };
    const a = await start({ ...cluster, INSTANCE_ID: "e2e-a" });
    const b = await start({ ...cluster, INSTANCE_ID: "e2e-b" });
    const alice = await openPerson(browser, { baseURL: a.baseUrl, userName: "alice" });
    const bob = await openPerson(browser, { baseURL: b.baseUrl, userName: "bob" });
    people.push(alice, bob);
    const aliceChat = await alice.chat().open([room]);
    const bobChat = await bob.chat().open([room]);
    await expect(aliceChat.user("bob")).toBeVisible();
    await expect(bobChat.user("alice")).toBeVisible();
    await aliceChat.send("before the restart");
    await expect(bobChat.message("before the restart")).toBeVisible();
    await markDocument(bobChat);

    await b.stop();
    await expectReconnecting(bobChat);
    // Alice's instance carries on: she chats through the page and through the API meanwhile.
    await aliceChat.expectConnected();
    await aliceChat.send("while you were away");
    await expect(aliceChat.message("while you were away")).toBeVisible();
    const from = await aliceChat.subscriptionId();
    const posted = await alice.page.request.post(`/channels/${room}/chat`, {
      data: { from, message: "posted through the API" },
    });
    expect(posted.status()).toBe(200);

    await start({ ...cluster, INSTANCE_ID: "e2e-b" }, b.port);
    await expectReconnected(bobChat);
    // Missed, then shown: exactly once each, after what he had already seen.
    await expect(bobChat.message("while you were away")).toHaveCount(1);
    await expect(bobChat.message("posted through the API")).toHaveCount(1);
    await expect(bobChat.message("before the restart")).toHaveCount(1);
    await expect(bobChat.log.getByTestId("chat-message")).toHaveText([
      /before the restart/u,
      /while you were away/u,
      /posted through the API/u,
    ]);
    await expect(bobChat.user("alice")).toBeVisible();
    await expect(aliceChat.user("bob")).toBeVisible();

    await aliceChat.send("after the restart");
    await expect(bobChat.message("after the restart")).toHaveCount(1);
    await bobChat.send("back again");
    await expect(aliceChat.message("back again")).toBeVisible();
  });
});
