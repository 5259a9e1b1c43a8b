import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { users } from "./auth-schema";

// The embedded store (PGlite in memory) with every committed migration applied, as the app
// runs without DATABASE_URL.
vi.stubEnv("DATABASE_URL", "");
vi.stubEnv("PGLITE_DIR", "");
const store = await import("./auth-store");

describe("auth store", { timeout: 30_000 }, () => {
  beforeAll(async () => {
    await store.createUser("Alice", "correct-horse");
  }, 60_000); // PGlite starts and migrates in a few seconds on a busy machine

  it("finds a user by name in any case, under the name they chose", async () => {
    expect((await store.findUserByName("ALICE"))?.name).toBe("Alice");
    expect(await store.verifyUser("alice", "correct-horse")).toMatchObject({ name: "Alice" });
    expect(await store.verifyUser("alice", "wrong-horse")).toBeNull();
  });

  it("refuses a name that differs only in case", async () => {
    await expect(store.createUser("aLiCe", "another-password")).rejects.toBeInstanceOf(
      store.UserNameTakenError,
    );
  });

  it("enforces it in the database too (migration 0002: unique lower(name))", async () => {
    const db = await store.getAuthDb();
    const insert = db.insert(users).values({ name: "ALICE", passwordHash: "x" });
    await expect(insert).rejects.toThrow();
    const [row] = await db
      .select({ count: sql<number>`count(*)::int` })
      .from(users)
      .where(sql`lower(${users.name}) = 'alice'`);
    expect(row?.count).toBe(1);
  });

  it("keeps user<digits> names for guests", async () => {
    await expect(store.createUser("User12", "correct-horse")).rejects.toBeInstanceOf(
      store.ReservedUserNameError,
    );
  });

  it("sets a new password only under the version the old one was checked at", async () => {
    const user = await store.createUser("Grace", "first-password");
    expect(user.credentialVersion).toBe(0);
    expect(await store.setPassword(user.id, "second-password", 0)).toBe(1);
    // A second change that checked the old password before the first landed writes nothing.
    expect(await store.setPassword(user.id, "third-password", 0)).toBeUndefined();
    expect(await store.verifyUser("grace", "second-password")).toMatchObject({
      credentialVersion: 1,
    });
    expect(await store.verifyUser("grace", "third-password")).toBeNull();
    expect(await store.currentCredentialVersion(user.id)).toBe(1);
    expect(await store.currentCredentialVersion("no-such-user")).toBeUndefined();
  });

  it("ends every session without a new password, under the version it was checked at", async () => {
    const user = await store.createUser("Hopper", "hopper-password");
    expect(await store.bumpCredentialVersion(user.id, 0)).toBe(1);
    expect(await store.bumpCredentialVersion(user.id, 0)).toBeUndefined();
    expect(await store.verifyUser("hopper", "hopper-password")).toMatchObject({
      credentialVersion: 1,
    });
  });
});
