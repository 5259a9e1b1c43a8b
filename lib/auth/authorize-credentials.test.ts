import { Auth, skipCSRFCheck } from "@auth/core";
import Credentials from "@auth/core/providers/credentials";
import pino from "pino";
import { afterEach, describe, expect, it, vi } from "vitest";
import { readEnv } from "@/lib/env";
import { createAuthLogger } from "./auth-logger";
import { resolveAuthLimits, SignInThrottle } from "./auth-throttle";
import {
  authorizeCredentials,
  InvalidCredentials,
  TooManyAttempts,
  type AuthorizeDependencies,
} from "./authorize-credentials";

const ada = { id: "u1", name: "Ada", role: "user", credentialVersion: 0 };

/** A pino logger writing JSON lines into an array, as it would to stdout. */
function createMemoryLogger() {
  const raw: string[] = [];
  const log = pino({ level: "debug" }, { write: (line: string) => void raw.push(line) });
  const parsed = () => raw.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { log, raw, parsed };
}

function createDependencies(overrides: Partial<AuthorizeDependencies> = {}) {
  const memory = createMemoryLogger();
  const deps: AuthorizeDependencies = {
    verifyUser: vi.fn((name: string, password: string) =>
      Promise.resolve(name.toLowerCase() === "ada" && password === "right-password" ? ada : null),
    ),
    // A clock that stands still, so the cool-down is exactly 15 minutes.
    throttle: new SignInThrottle(resolveAuthLimits(readEnv({})), { now: () => 0 }),
    log: memory.log,
    ...overrides,
  };
  return { deps, memory };
}

const requestFrom = (address: string) =>
  new Request("http://localhost/api/auth/callback/credentials", {
    headers: { "x-forwarded-for": address },
  });

describe("authorizeCredentials", () => {
  it("returns the user for the right password", async () => {
    const { deps, memory } = createDependencies();
    const input = { name: "ada", password: "right-password" };
    await expect(authorizeCredentials(input, requestFrom("203.0.113.1"), deps)).resolves.toBe(ada);
    expect(memory.raw).toEqual([]);
  });

  it("logs one warn line per wrong password, with no stack", async () => {
    const { deps, memory } = createDependencies();
    const attempt = authorizeCredentials(
      { name: "ada", password: "nope-nope" },
      requestFrom("203.0.113.1"),
      deps,
    );
    await expect(attempt).rejects.toBeInstanceOf(InvalidCredentials);
    expect(memory.parsed()).toEqual([
      expect.objectContaining({ level: 40, event: "signin_failed", name: "ada", reason: "wrong" }),
    ]);
    expect(memory.raw.join("")).not.toContain("stack");
  });

  it("checks at most 10 passwords of 500 sent at once, from many addresses", async () => {
    // Each check takes a while, as bcrypt does: all 500 arrive before the first one fails.
    const verifyUser = vi.fn(
      () => new Promise<null>((resolve) => setTimeout(() => resolve(null), 5)),
    );
    const { deps } = createDependencies({ verifyUser });
    const guesses = Array.from({ length: 500 }, (_, i) =>
      authorizeCredentials(
        { name: "ada", password: `guess-${i}` },
        requestFrom(`2001:db8:${i.toString(16)}::1`),
        deps,
      ).catch((error: unknown) => error),
    );
    const outcomes = await Promise.all(guesses);
    expect(verifyUser).toHaveBeenCalledTimes(10);
    expect(outcomes.filter((error) => error instanceof TooManyAttempts)).toHaveLength(491);
  });

  it("refuses the right password after 10 failures, without checking it", async () => {
    const { deps } = createDependencies();
    const request = requestFrom("203.0.113.1");
    const wrong = { name: "Ada", password: "wrong-password" };
    for (let i = 0; i < 9; i++)
      await expect(authorizeCredentials(wrong, request, deps)).rejects.toThrow(InvalidCredentials);
    await expect(authorizeCredentials(wrong, request, deps)).rejects.toThrow(TooManyAttempts);
    vi.mocked(deps.verifyUser).mockClear();
    const right = authorizeCredentials({ name: "ADA", password: "right-password" }, request, deps);
    await expect(right).rejects.toMatchObject({ code: "too_many_attempts", retryAfterMs: 900_000 });
    expect(deps.verifyUser).not.toHaveBeenCalled();
  });

  it("lets the owner's browser in past an attacker's lockout, and remembers browsers that sign in", async () => {
    const remembered: string[] = [];
    const { deps, memory } = createDependencies({
      devices: {
        recognize: (request) => Promise.resolve(request.headers.get("x-device") ?? undefined),
        remember: (user) => Promise.resolve(void remembered.push(user.name)),
      },
    });
    const wrong = { name: "ada", password: "wrong-password" };
    for (let i = 0; i < 10; i++)
      await authorizeCredentials(wrong, requestFrom("203.0.113.9"), deps).catch(() => undefined);
    const right = { name: "ada", password: "right-password" };
    await expect(authorizeCredentials(right, requestFrom("203.0.113.9"), deps)).rejects.toThrow(
      TooManyAttempts,
    );
    expect(remembered).toEqual([]);
    const owner = new Request("http://localhost/api/auth/callback/credentials", {
      headers: { "x-forwarded-for": "203.0.113.9", "x-device": "owner-browser" },
    });
    await expect(authorizeCredentials(right, owner, deps)).resolves.toBe(ada);
    expect(remembered).toEqual(["Ada"]);
    expect(memory.parsed().at(-1)).toMatchObject({ reason: "throttled", knownBrowser: false });
  });

  it("refuses input it cannot parse as a wrong password, and empty fields without counting", async () => {
    const { deps, memory } = createDependencies();
    const request = requestFrom("203.0.113.1");
    for (let i = 0; i < 12; i++) {
      const attempt = authorizeCredentials({ name: "ada", password: "" }, request, deps);
      await expect(attempt).rejects.toThrow(InvalidCredentials);
    }
    const huge = authorizeCredentials({ name: "ada", password: "x".repeat(500) }, request, deps);
    await expect(huge).rejects.toThrow(InvalidCredentials);
    expect(deps.verifyUser).not.toHaveBeenCalled();
    expect(memory.raw).toHaveLength(13);
  });
});

describe("Auth.js with authorizeCredentials and createAuthLogger", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  function post(deps: AuthorizeDependencies, log: pino.Logger, body: Record<string, string>) {
    const request = new Request("http://localhost/api/auth/callback/credentials", {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-forwarded-for": "203.0.113.9",
      },
      body: new URLSearchParams(body),
    });
    return Auth(request, {
      secret: "a-test-secret-that-is-at-least-32-characters",
      trustHost: true,
      basePath: "/api/auth",
      skipCSRFCheck,
      session: { strategy: "jwt" },
      logger: createAuthLogger(log),
      providers: [
        Credentials({
          credentials: { name: {}, password: {} },
          authorize: (input, req) => authorizeCredentials(input, req, deps),
        }),
      ],
    });
  }

  it("prints exactly one line for a wrong password: pino's warn, no stack", async () => {
    const consoleError = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const { deps, memory } = createDependencies();
    const response = await post(deps, memory.log, { name: "ada", password: "wrong-password" });
    expect(response.headers.get("location")).toContain("error=CredentialsSignin");
    expect(memory.parsed().map((line) => line.level)).toEqual([40]);
    expect(memory.raw.join("")).not.toContain("stack");
    expect(consoleError).not.toHaveBeenCalled();
  });

  it("still logs unexpected errors, with their stack", async () => {
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const { deps, memory } = createDependencies({
      verifyUser: () => Promise.reject(new Error("database is down")),
    });
    await post(deps, memory.log, { name: "ada", password: "right-password" });
    const [line, ...rest] = memory.parsed();
    expect(rest).toEqual([]);
    expect(line).toMatchObject({ level: 50, type: "CallbackRouteError" });
    expect(line?.err).toMatchObject({ message: "database is down" });
    expect(JSON.stringify(line?.err)).toContain("stack");
  });
});
