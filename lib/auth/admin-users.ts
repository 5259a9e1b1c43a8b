import { z } from "zod";
import { userNameSchema } from "./credentials-schema";

/** The role that may open /admin, subscribe to the operators' channel and reset the server. */
export const ADMIN_ROLE = "admin";

/**
 * `ADMIN_USERS`: user names separated by commas (`ada, grace`), spaces around them ignored. Every
 * entry must be a valid user name, so a typo fails at start-up instead of silently granting nothing.
 */
export const adminUsersSchema = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? "")
      .split(",")
      .map((name) => name.trim())
      .filter((name) => name !== ""),
  )
  .pipe(z.array(userNameSchema.describe("ADMIN_USERS entry")));

/**
 * The role a signed-in user has on this request: `admin` while listed in `ADMIN_USERS` (names
 * match in any case, as sign-in does), else the one stored with the account (what the session
 * token carries). Worked out on every request and never written back, so a change to the list
 * applies to sessions already open, not at their next sign-in.
 */
export function currentRole(
  user: { name: string; role: string },
  adminUsers: readonly string[],
): string {
  const name = user.name.toLowerCase();
  return adminUsers.some((admin) => admin.toLowerCase() === name) ? ADMIN_ROLE : user.role;
}

/**
 * The `ADMIN_USERS` names no account has yet: whoever signs up under one first becomes an
 * operator, so start-up warns about each (lib/next/startup-env.ts). `findUser` looks a name up in
 * any case, as sign-in does.
 */
export async function unclaimedAdminNames(
  adminUsers: readonly string[],
  findUser: (name: string) => Promise<unknown>,
): Promise<string[]> {
  const found = await Promise.all(adminUsers.map(async (name) => (await findUser(name)) != null));
  return adminUsers.filter((_, i) => !found[i]);
}
