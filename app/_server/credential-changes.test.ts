import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createCredentialVersions, type CredentialVersions } from "@/lib/auth/credential-versions";
import { MemoryServerEvents } from "@/lib/server-events";
import {
  announceCredentialChange,
  CREDENTIALS_CHANNEL,
  followCredentialChanges,
} from "./credential-changes";

describe("credential changes across instances", () => {
  let events: MemoryServerEvents;
  let database: Map<string, number>;
  let versions: CredentialVersions;

  // An instance that looked both accounts up before "ada" changed her password, and would keep
  // those answers for 30 s.
  beforeEach(async () => {
    events = new MemoryServerEvents({ onError: () => undefined });
    await events.start();
    database = new Map([
      ["ada", 0],
      ["bob", 0],
    ]);
    versions = createCredentialVersions({ lookup: (id) => Promise.resolve(database.get(id)) });
    await versions.isCurrent("ada", 0);
    await versions.isCurrent("bob", 0);
    database.set("ada", 1);
  });
  afterEach(() => events.stop());

  it("refuses an account's older sessions as soon as the change is announced", async () => {
    const stop = followCredentialChanges(events, versions);
    expect(await versions.isCurrent("ada", 0)).toBe(true); // still the cached answer

    await announceCredentialChange(events, "ada");

    expect(await versions.isCurrent("ada", 0)).toBe(false);
    expect(await versions.isCurrent("ada", 1)).toBe(true);
    stop();
  });

  it("leaves the other accounts' answers alone", async () => {
    const stop = followCredentialChanges(events, versions);
    database.set("bob", 1);
    await announceCredentialChange(events, "ada");
    expect(await versions.isCurrent("bob", 0)).toBe(true);
    stop();
  });

  it("ignores other messages on the channel, and the same selector elsewhere", async () => {
    const stop = followCredentialChanges(events, versions);
    await events.notifyChannel(CREDENTIALS_CHANNEL, "cmd.credentialsChanged", { user: "ada" });
    await events.notifyChannelJson(CREDENTIALS_CHANNEL, "cmd.credentialsChanged", "not json");
    await events.notifyChannel(CREDENTIALS_CHANNEL, "cmd.other", { userId: "ada" });
    await events.notifyChannel("home", "cmd.credentialsChanged", { userId: "ada" });
    await events.notifyUserId("ada", "cmd.credentialsChanged", { userId: "ada" });
    expect(await versions.isCurrent("ada", 0)).toBe(true);
    stop();
  });

  it("stops following when told to", async () => {
    followCredentialChanges(events, versions)();
    await announceCredentialChange(events, "ada");
    expect(await versions.isCurrent("ada", 0)).toBe(true);
  });
});
