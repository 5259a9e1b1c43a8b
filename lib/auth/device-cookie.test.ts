import { describe, expect, it } from "vitest";
import {
  DEVICE_COOKIE,
  DEVICE_COOKIE_MAX_AGE_SECONDS,
  deviceCookieFrom,
  recognizedDevice,
  rememberDevice,
} from "./device-cookie";

const secret = "test-secret-test-secret-test-secret";
const now = Date.UTC(2026, 10, 30);
/** An account whose password never changed. */
const at0 = (name: string) => ({ name, credentialVersion: 0 });

describe("device cookie", () => {
  it("recognises the browser for the name it signed in to, in any case, and no other", () => {
    const value = rememberDevice(undefined, at0("Ada"), secret, now);
    const device = recognizedDevice(value, at0("ada"), secret, now);
    expect(device).toMatch(/^[A-Za-z0-9_-]{16}$/u);
    expect(recognizedDevice(value, at0(" ADA "), secret, now)).toBe(device);
    expect(recognizedDevice(value, at0("bob"), secret, now)).toBeUndefined();
  });

  it("remembers a few accounts, the latest first, with a fresh id per sign-in", () => {
    let value: string | undefined;
    for (const name of ["a1", "a2", "a3", "a4", "a5"])
      value = rememberDevice(value, at0(name), secret, now);
    expect(recognizedDevice(value, at0("a1"), secret, now)).toBeUndefined();
    for (const name of ["a2", "a3", "a4", "a5"])
      expect(recognizedDevice(value, at0(name), secret, now)).toBeDefined();
    const before = recognizedDevice(value, at0("a3"), secret, now);
    value = rememberDevice(value, at0("a3"), secret, now);
    expect(value.split("~")).toHaveLength(4);
    expect(recognizedDevice(value, at0("a3"), secret, now)).not.toBe(before);
  });

  it("refuses forged, tampered, foreign and expired cookies", () => {
    const value = rememberDevice(undefined, at0("ada"), secret, now);
    const [id, issued, name, mac] = value.split(".") as [string, string, string, string];
    const bob = Buffer.from("bob").toString("base64url");
    for (const forged of [
      `${id}.${issued}.${bob}.${mac}`,
      `${id}.${(parseInt(issued, 36) + 1).toString(36)}.${name}.${mac}`,
      `${id}.${issued}.${name}.${"A".repeat(22)}`,
      "garbage",
      "",
    ])
      expect(recognizedDevice(forged, at0("ada"), secret, now)).toBeUndefined();
    expect(
      recognizedDevice(value, at0("ada"), "another-secret-another-secret", now),
    ).toBeUndefined();
    const later = now + (DEVICE_COOKIE_MAX_AGE_SECONDS + 1) * 1000;
    expect(recognizedDevice(value, at0("ada"), secret, later)).toBeUndefined();
  });

  it("finds the real entries behind a planted cookie of the same name", () => {
    const real = rememberDevice(undefined, at0("ada"), secret, now);
    const planted = Array.from(
      { length: 50 },
      (_, i) => `${"A".repeat(16)}.1.${i}.${"B".repeat(22)}`,
    );
    const header = `${DEVICE_COOKIE}=${planted.join("~")}; other=1; ${DEVICE_COOKIE}=${real}`;
    expect(recognizedDevice(deviceCookieFrom(header), at0("ada"), secret, now)).toBeDefined();
  });

  it("is read from a Cookie header among others", () => {
    expect(deviceCookieFrom(`a=1; ${DEVICE_COOKIE}=v.1.x.y; b=2`)).toBe("v.1.x.y");
    expect(deviceCookieFrom("a=1")).toBeUndefined();
    expect(deviceCookieFrom(null)).toBeUndefined();
  });

  it("retires what it remembered once the account's password changes", () => {
    const before = rememberDevice(undefined, at0("ada"), secret, now);
    expect(recognizedDevice(before, { name: "ada", credentialVersion: 1 }, secret, now)).toBe(
      undefined,
    );
    const after = rememberDevice(before, { name: "ada", credentialVersion: 1 }, secret, now);
    expect(
      recognizedDevice(after, { name: "ada", credentialVersion: 1 }, secret, now),
    ).toBeDefined();
    expect(recognizedDevice(after, at0("ada"), secret, now)).toBeUndefined();
  });

  it("cannot be moved to a newer version by editing the version it names", () => {
    const value = rememberDevice(undefined, { name: "ada", credentialVersion: 1 }, secret, now);
    const [id, issued, name, version, mac] = value.split(".");
    expect(version).toBe("1");
    const moved = `${id}.${issued}.${name}.2.${mac}`;
    expect(recognizedDevice(moved, { name: "ada", credentialVersion: 2 }, secret, now)).toBe(
      undefined,
    );
    const dropped = `${id}.${issued}.${name}.${mac}`;
    expect(recognizedDevice(dropped, at0("ada"), secret, now)).toBeUndefined();
  });
});
