import path from "node:path";
import bcrypt from "bcryptjs";
import { and, eq, sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { isReservedForGuests } from "@/lib/auth/credentials-schema";
import { env } from "@/lib/env";
import { users, type UserRow } from "./auth-schema";

type AuthDb = PgDatabase<PgQueryResultHKT>;

/** bcrypt cost factor: ~70 ms per hash on the CI machines. */
const BCRYPT_COST = 10;
const migrationsFolder = path.join(process.cwd(), "db", "migrations");

// Cached on globalThis so dev-server reloads reuse one pool (or one embedded database).
const globalCache = globalThis as unknown as { __serverEventsAuthDb?: Promise<AuthDb> };

/** The provider's pool and its start-up migration (serialized across instances by a lock). */
async function openPostgres(url: string): Promise<AuthDb> {
  const [{ getPool }, { migrateDatabase }, { drizzle }] = await Promise.all([
    import("./client"),
    import("./migrate"),
    import("drizzle-orm/node-postgres"),
  ]);
  const pool = getPool(url);
  await migrateDatabase(pool);
  return drizzle(pool);
}

/**
 * The zero-setup store: PGlite (Postgres compiled to wasm) in memory, or under `PGLITE_DIR`.
 * Imported lazily so a Postgres deployment never loads it. One process only: PGlite is an
 * in-process, single-user database.
 */
async function openEmbedded(dataDir: string | undefined): Promise<AuthDb> {
  const [{ PGlite }, { drizzle }, { migrate }] = await Promise.all([
    import("@electric-sql/pglite"),
    import("drizzle-orm/pglite"),
    import("drizzle-orm/pglite/migrator"),
  ]);
  const db = drizzle(new PGlite(dataDir));
  await migrate(db, { migrationsFolder });
  return db;
}

/** The users database: Postgres when `DATABASE_URL` is set, embedded PGlite otherwise. */
export function getAuthDb(): Promise<AuthDb> {
  const url = env.DATABASE_URL;
  const dataDir = env.PGLITE_DIR;
  globalCache.__serverEventsAuthDb ??= (url ? openPostgres(url) : openEmbedded(dataDir)).catch(
    (error: unknown) => {
      globalCache.__serverEventsAuthDb = undefined;
      throw error;
    },
  );
  return globalCache.__serverEventsAuthDb;
}

export type PublicUser = Pick<UserRow, "id" | "name" | "role" | "credentialVersion">;

/** The name, or the same name in another case, belongs to someone else. */
export class UserNameTakenError extends Error {
  constructor(name: string, options?: ErrorOptions) {
    super(`The name '${name}' is taken`, options);
    this.name = "UserNameTakenError";
  }
}

/** `user<digits>` names are how guests appear; an account must not pass as one. */
export class ReservedUserNameError extends Error {
  constructor(name: string) {
    super(`The name '${name}' is kept for guests`);
    this.name = "ReservedUserNameError";
  }
}

const toPublic = ({ id, name, role, credentialVersion }: UserRow): PublicUser => ({
  id,
  name,
  role,
  credentialVersion,
});

/** The user named `name` in any case ("ALICE" finds "Alice"), through the unique lower(name) index. */
export async function findUserByName(name: string): Promise<UserRow | undefined> {
  const db = await getAuthDb();
  const [row] = await db
    .select()
    .from(users)
    .where(sql`lower(${users.name}) = lower(${name})`)
    .limit(1);
  return row;
}

/**
 * Creates a user with a bcrypt hash. The look-up gives the usual answer early; the unique index on
 * lower(name) settles two sign-ups racing for the same name.
 * @throws UserNameTakenError when the name exists in any case
 * @throws ReservedUserNameError for guest-like names (`user12`)
 */
export async function createUser(name: string, password: string): Promise<PublicUser> {
  if (isReservedForGuests(name)) throw new ReservedUserNameError(name);
  if (await findUserByName(name)) throw new UserNameTakenError(name);
  const db = await getAuthDb();
  const passwordHash = await bcrypt.hash(password, BCRYPT_COST);
  try {
    const [row] = await db.insert(users).values({ name, passwordHash }).returning();
    return toPublic(row!);
  } catch (error) {
    if (isUniqueViolation(error)) throw new UserNameTakenError(name, { cause: error });
    throw error;
  }
}

/** The user when the password matches; `null` otherwise (also for unknown names, in equal time). */
export async function verifyUser(name: string, password: string): Promise<PublicUser | null> {
  const row = await findUserByName(name);
  // Compare against a dummy hash for unknown names so timing does not reveal which names exist.
  const ok = await bcrypt.compare(password, row?.passwordHash ?? DUMMY_HASH);
  return row && ok ? toPublic(row) : null;
}

/** The account's credential version now, or undefined when there is no such account. */
export async function currentCredentialVersion(userId: string): Promise<number | undefined> {
  const db = await getAuthDb();
  const [row] = await db
    .select({ version: users.credentialVersion })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  return row?.version;
}

/**
 * Sets a new password and moves the credential version on, which ends every session and retires
 * every known-browser cookie issued before (db/credential-versions.ts). The caller has checked
 * the current password, which `verifiedVersion` (the version `verifyUser` answered with) stands
 * for: when another change landed in between, nothing is written.
 * @returns the new credential version, or undefined when the account is gone or has moved on
 */
export async function setPassword(
  userId: string,
  password: string,
  verifiedVersion: number,
): Promise<number | undefined> {
  const passwordHash = await bcrypt.hash(password, BCRYPT_COST);
  return moveCredentialVersion(userId, verifiedVersion, { passwordHash });
}

/**
 * Moves the credential version on without a new password, which ends every session and retires
 * every known-browser cookie issued before; only under `verifiedVersion`, as `setPassword`.
 * @returns the new credential version, or undefined when the account is gone or has moved on
 */
export function bumpCredentialVersion(
  userId: string,
  verifiedVersion: number,
): Promise<number | undefined> {
  return moveCredentialVersion(userId, verifiedVersion, {});
}

/** One conditional update: of two changes checked against the same version, one wins whole. */
async function moveCredentialVersion(
  userId: string,
  verifiedVersion: number,
  change: { passwordHash?: string },
): Promise<number | undefined> {
  const db = await getAuthDb();
  const [row] = await db
    .update(users)
    .set({ ...change, credentialVersion: sql`${users.credentialVersion} + 1` })
    .where(and(eq(users.id, userId), eq(users.credentialVersion, verifiedVersion)))
    .returning({ version: users.credentialVersion });
  return row?.version;
}

const DUMMY_HASH = "$2b$10$eGkJx8/CBWfpHQiUPVlV9.ShItg5u6AF55hJ/.zZdtys0bVVpo3kS";

function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if ((e as { code?: unknown }).code === "23505") return true;
  }
  return false;
}
