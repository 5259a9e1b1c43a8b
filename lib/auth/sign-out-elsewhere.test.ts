import { describe, expect, it, vi } from "vitest";
import { readEnv } from "@/lib/env";
import { resolveAuthLimits, SignInThrottle } from "./auth-throttle";
import { signOutElsewhere, type SignOutElsewhereDependencies } from "./sign-out-elsewhere";

const ada = { id: "u1", name: "Ada" };

function setUp() {
  let version = 3;
  const deps: SignOutElsewhereDependencies = {
    verifyUser: vi.fn((name: string, password: string) =>
      Promise.resolve(
        name === "Ada" && password === "the-password"
          ? { ...ada, role: "user", credentialVersion: version }
          : null,
      ),
    ),
    endAllSessions: vi.fn((_userId: string, verifiedVersion: number) =>
      Promise.resolve(verifiedVersion === version ? ++version : undefined),
    ),
    throttle: new SignInThrottle(resolveAuthLimits(readEnv({})), { now: () => 0 }),
    log: { warn: vi.fn(), info: vi.fn() },
  };
  const signOut = (password: unknown) =>
    signOutElsewhere(
      { account: ada, form: { password }, address: "203.0.113.9", device: undefined },
      deps,
    );
  return { deps, signOut, version: () => version };
}

describe("signOutElsewhere", () => {
  it("moves the account's credential version on once its password is proved", async () => {
    const { signOut, version } = setUp();
    expect(await signOut("the-password")).toEqual({
      credentialVersion: 4,
      password: "the-password",
    });
    expect(version()).toBe(4);
  });

  it("ends nothing without the password, and counts each wrong one as sign-in does", async () => {
    const { signOut, deps, version } = setUp();
    expect(await signOut("")).toEqual({
      refusal: { fieldErrors: { password: "Enter your password" } },
    });
    expect(await signOut(undefined)).toMatchObject({
      refusal: { fieldErrors: { password: "Enter your password" } },
    });
    expect(await signOut("x".repeat(201))).toEqual({
      refusal: { fieldErrors: { password: "Wrong password" } },
    });
    expect(deps.verifyUser).not.toHaveBeenCalled();
    for (let i = 0; i < 9; i++)
      expect(await signOut(`guess-${i}`)).toEqual({
        refusal: { fieldErrors: { password: "Wrong password" } },
      });
    expect(await signOut("guess-9")).toMatchObject({
      refusal: { error: /Too many attempts/u },
    });
    expect(await signOut("the-password")).toMatchObject({ refusal: { error: /Too many/u } });
    expect(version()).toBe(3);
  });
});
