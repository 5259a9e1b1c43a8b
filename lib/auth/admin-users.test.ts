import { describe, expect, it } from "vitest";
import { adminUsersSchema, currentRole, unclaimedAdminNames } from "./admin-users";

describe("ADMIN_USERS", () => {
  it("reads a comma-separated list, ignoring spaces and empty entries", () => {
    expect(adminUsersSchema.parse(" ada, Grace ,,")).toEqual(["ada", "Grace"]);
    expect(adminUsersSchema.parse(undefined)).toEqual([]);
  });

  it("refuses an entry that no account could have, naming the problem", () => {
    const result = adminUsersSchema.safeParse("ada,not a name");
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/letter/u);
  });

  it("makes listed users admins in any letter case, and leaves everyone else's role alone", () => {
    const admins = adminUsersSchema.parse("Ada");
    expect(currentRole({ name: "ada", role: "user" }, admins)).toBe("admin");
    expect(currentRole({ name: "bob", role: "user" }, admins)).toBe("user");
    expect(currentRole({ name: "root", role: "admin" }, admins)).toBe("admin");
    expect(currentRole({ name: "ada", role: "user" }, [])).toBe("user");
  });
});

describe("unclaimedAdminNames", () => {
  it("lists the names no account has, in any case, in the order given", async () => {
    const accounts = new Set(["ada"]);
    const findUser = (name: string) =>
      Promise.resolve(accounts.has(name.toLowerCase()) ? { name } : undefined);
    expect(await unclaimedAdminNames(["Ada", "grace", "linus"], findUser)).toEqual([
      "grace",
      "linus",
    ]);
    expect(await unclaimedAdminNames([], findUser)).toEqual([]);
  });
});
