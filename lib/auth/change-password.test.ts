import { describe, expect, it, vi } from "vitest";
import { readEnv } from "@/lib/env";
import { resolveAuthLimits, SignInThrottle } from "./auth-throttle";
import { changePassword, type ChangePasswordDependencies } from "./change-password";

const ada = { id: "u1", name: "Ada" };
const address = "203.0.113.7";

function setUp() {
  let password = "old-password";
  let version = 0;
  const deps: ChangePasswordDependencies = {
    verifyUser: vi.fn((name: string, given: string) =>
      Promise.resolve(
        name === "Ada" && given === password
          ? { ...ada, role: "user", credentialVersion: 0 }
          : null,
      ),
    ),
    replacePassword: vi.fn((_userId: string, next: string, verifiedVersion: number) => {
      if (verifiedVersion !== version) return Promise.resolve(undefined);
      password = next;
      return Promise.resolve(++version);
    }),
    throttle: new SignInThrottle(resolveAuthLimits(readEnv({})), { now: () => 0 }),
    log: { warn: vi.fn(), info: vi.fn() },
  };
  const change = (form: Record<string, unknown>, device?: string) =>
    changePassword({ account: ada, form, address, device }, deps);
  return { deps, change, password: () => password };
}

const form = (currentPassword: string, newPassword = "new-password-1") => ({
  currentPassword,
  newPassword,
  confirmPassword: newPassword,
});

describe("changePassword", () => {
  it("stores the new password once the current one is proved", async () => {
    const { change, password } = setUp();
    expect(await change(form("old-password"))).toEqual({
      newPassword: "new-password-1",
      credentialVersion: 1,
    });
    expect(password()).toBe("new-password-1");
  });

  it("names the field at fault, without counting a guess", async () => {
    const { change, deps } = setUp();
    expect(
      await change({ currentPassword: "", newPassword: "short", confirmPassword: "" }),
    ).toEqual({
      refusal: {
        fieldErrors: {
          currentPassword: "Enter your current password",
          newPassword: "Too short: a password has at least 8 characters",
          confirmPassword: "The two new passwords differ",
        },
      },
    });
    const differ = { ...form("old-password"), confirmPassword: "new-password-2" };
    expect(await change(differ)).toEqual({
      refusal: {
        fieldErrors: { confirmPassword: "The two new passwords differ" },
      },
    });
    expect(deps.verifyUser).not.toHaveBeenCalled();
  });

  it("refuses a wrong current password, and locks after ten as sign-in does", async () => {
    const { change, deps, password } = setUp();
    for (let i = 0; i < 9; i++)
      expect(await change(form(`guess-${i}`))).toEqual({
        refusal: {
          fieldErrors: { currentPassword: "Wrong password" },
        },
      });
    expect(await change(form("guess-9"))).toMatchObject({
      refusal: { error: /Too many attempts/u },
    });
    // The right one is refused too, unchecked, while the name is locked.
    expect(await change(form("old-password"))).toMatchObject({ refusal: { error: /Too many/u } });
    expect(deps.verifyUser).toHaveBeenCalledTimes(10);
    expect(password()).toBe("old-password");
    // The same count as the sign-in form's: the name is locked there as well.
    expect((await deps.throttle.check("ada", "198.51.100.1")).allowed).toBe(false);
  });

  it("says the new password is the current one only once the current one is proved", async () => {
    const { change, deps } = setUp();
    expect(await change(form("a-guess-at-it", "a-guess-at-it"))).toEqual({
      refusal: {
        fieldErrors: { currentPassword: "Wrong password" },
      },
    });
    expect(await change(form("old-password", "old-password"))).toEqual({
      refusal: {
        fieldErrors: { newPassword: "That is your current password: choose another" },
      },
    });
    expect(deps.replacePassword).not.toHaveBeenCalled();
  });

  it("lets only one of two changes sent at once through", async () => {
    const { change, password } = setUp();
    const outcomes = await Promise.all([
      change(form("old-password", "first-new-password")),
      change(form("old-password", "second-new-password")),
    ]);
    expect(outcomes.filter((outcome) => "newPassword" in outcome)).toHaveLength(1);
    expect(outcomes).toContainEqual({
      refusal: { error: "Your password was changed meanwhile: sign in again" },
    });
    expect(["first-new-password", "second-new-password"]).toContain(password());
  });
});
