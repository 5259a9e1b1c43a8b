import { CredentialsSignin, JWTSessionError } from "@auth/core/errors";
import { describe, expect, it, vi } from "vitest";
import { createAuthLogger } from "./auth-logger";

function logger() {
  const log = { error: vi.fn(), warn: vi.fn() };
  return { log, auth: createAuthLogger(log as never) };
}

describe("createAuthLogger", () => {
  it("keeps what clients cause out of the error log", () => {
    const { log, auth } = logger();
    auth.error!(new CredentialsSignin());
    auth.error!(new JWTSessionError("Invalid Compact JWE"));
    expect(log.error).not.toHaveBeenCalled();
    expect(log.warn).toHaveBeenCalledTimes(1);
    expect(log.warn).toHaveBeenCalledWith(
      { type: "JWTSessionError" },
      "auth: a session cookie could not be read",
    );
  });

  it("logs real faults with their cause", () => {
    const { log, auth } = logger();
    const cause = new Error("database down");
    auth.error!(Object.assign(new Error("callback failed"), { cause: { err: cause } }));
    expect(log.error).toHaveBeenCalledWith(
      expect.objectContaining({ err: cause }),
      "auth: callback failed",
    );
  });
});
