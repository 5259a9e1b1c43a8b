import { describe, expect, it, vi } from "vitest";
import { createCredentialVersions, credentialVersionOf } from "./credential-versions";

function accounts(initial: Record<string, number>) {
  const versions = new Map(Object.entries(initial));
  let clock = 0;
  let failing = false;
  const lookup = vi.fn((userId: string) =>
    failing
      ? Promise.reject(new Error("connection refused"))
      : Promise.resolve(versions.get(userId)),
  );
  const onLookupError = vi.fn();
  const store = createCredentialVersions({ lookup, now: () => clock, onLookupError });
  return {
    store,
    lookup,
    onLookupError,
    change: (userId: string) => versions.set(userId, (versions.get(userId) ?? 0) + 1),
    advance: (ms: number) => (clock += ms),
    fail: (value: boolean) => (failing = value),
  };
}

describe("credential versions", () => {
  it("lets a session issued under the account's version through, and no other", async () => {
    const { store } = accounts({ ada: 2 });
    expect(await store.isCurrent("ada", 2)).toBe(true);
    expect(await store.isCurrent("ada", 1)).toBe(false);
    expect(await store.isCurrent("nobody", 0)).toBe(false);
    expect(await store.isCurrent("", 0)).toBe(false);
  });

  it("asks once per account while its answer is fresh, and again after 30 s", async () => {
    const { store, lookup, change, advance } = accounts({ ada: 0 });
    await Promise.all([store.isCurrent("ada", 0), store.isCurrent("ada", 0)]);
    change("ada"); // on another instance
    advance(29_999);
    expect(await store.isCurrent("ada", 0)).toBe(true);
    expect(lookup).toHaveBeenCalledTimes(1);
    advance(1);
    expect(await store.isCurrent("ada", 0)).toBe(false);
    expect(lookup).toHaveBeenCalledTimes(2);
  });

  it("counts a change made in this process at once", async () => {
    const { store, change } = accounts({ ada: 0 });
    expect(await store.isCurrent("ada", 0)).toBe(true);
    change("ada");
    store.forget("ada");
    expect(await store.isCurrent("ada", 0)).toBe(false);
    expect(await store.isCurrent("ada", 1)).toBe(true);
  });

  it("takes a session newer than it remembers at once: the change was made on another instance", async () => {
    const { store, lookup, change } = accounts({ ada: 0 });
    expect(await store.isCurrent("ada", 0)).toBe(true);
    change("ada"); // elsewhere, which signed its owner in again under version 1
    expect(await store.isCurrent("ada", 1)).toBe(true);
    expect(lookup).toHaveBeenCalledTimes(2);
    expect(await store.isCurrent("ada", 0)).toBe(false);
    // A forged "newer" version asks again, and is still refused.
    expect(await store.isCurrent("ada", 9)).toBe(false);
  });

  it("lets sessions through while the database cannot answer, and asks again 5 s later", async () => {
    const { store, lookup, onLookupError, fail, advance, change } = accounts({ ada: 0 });
    fail(true);
    expect(await store.isCurrent("ada", 0)).toBe(true);
    expect(await store.isCurrent("ada", 7)).toBe(true);
    expect(onLookupError).toHaveBeenCalledTimes(1);
    fail(false);
    change("ada");
    advance(5_000);
    expect(await store.isCurrent("ada", 0)).toBe(false);
    expect(lookup).toHaveBeenCalledTimes(2);
  });

  it("reads a token's version, taking a token from before versions as version 0", () => {
    expect(credentialVersionOf({ cv: 3 })).toBe(3);
    expect(credentialVersionOf({})).toBe(0);
    expect(credentialVersionOf({ cv: "3" })).toBe(0);
    expect(credentialVersionOf({ cv: 1.5 })).toBe(0);
  });
});
