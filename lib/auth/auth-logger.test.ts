import {
  CredentialsSignin,
  InvalidProvider,
  JWTSessionError,
  MissingCSRF,
  UnknownAction,
} from "@auth/core/errors";
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

  it("logs requests Auth.js refuses as one warn line each, without a stack", () => {
    const { log, auth } = logger();
    auth.error!(new MissingCSRF("CSRF token was missing during an action signin"));
    auth.error!(new UnknownAction("Cannot parse action at /api/auth/foo"));
    auth.error!(new InvalidProvider("Callback for provider type (credentials) is not supported"));
    auth.error!(
      new Error('Provider with id "nope" not found. Available providers: [credentials].'),
    );
    expect(log.error).not.toHaveBeenCalled();
    expect(log.warn.mock.calls.map(([fields]) => (fields as { type: string }).type)).toEqual([
      "MissingCSRF",
      "UnknownAction",
      "InvalidProvider",
      "UnknownProvider",
    ]);
    for (const [fields] of log.warn.mock.calls) expect(fields).not.toHaveProperty("err");
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
