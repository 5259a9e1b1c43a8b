import fc from "fast-check";
import { getScriptNonceFromHeader } from "next/dist/server/app-render/get-script-nonce-from-header";
import { describe, expect, it } from "vitest";
import { buildContentSecurityPolicy, createNonce } from "./content-security-policy";

const nonce = "AAECAwQFBgcICQoLDA0ODw==";

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split("; ").map((directive) => {
      const [name = "", ...sources] = directive.split(" ");
      return [name, sources];
    }),
  );
}

describe("buildContentSecurityPolicy", () => {
  it("is the production policy, byte for byte", () => {
    expect(buildContentSecurityPolicy({ nonce })).toBe(
      "default-src 'self'; " +
        `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'; ` +
        "style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data: blob: https:; " +
        "media-src 'self' https:; " +
        "frame-src https://www.youtube-nocookie.com; " +
        "connect-src 'self'; " +
        "font-src 'self'; " +
        "object-src 'none'; " +
        "base-uri 'self'; " +
        "form-action 'self'; " +
        "frame-ancestors 'none'",
    );
  });

  it("allows eval in development only, and only for scripts", () => {
    const dev = directives(buildContentSecurityPolicy({ nonce, isDevelopment: true }));
    expect(dev.get("script-src")).toContain("'unsafe-eval'");
    const prod = buildContentSecurityPolicy({ nonce, isDevelopment: false });
    expect(prod).not.toContain("unsafe-eval");
    expect([...dev.keys()]).toEqual([...directives(prod).keys()]);
  });

  it("upgrades insecure requests only over https", () => {
    expect(buildContentSecurityPolicy({ nonce, isHttps: true })).toMatch(
      /; upgrade-insecure-requests$/u,
    );
    expect(buildContentSecurityPolicy({ nonce, isHttps: false })).not.toContain("upgrade-insecure");
  });

  it("hands Next the nonce it stamps on its scripts", () => {
    expect(getScriptNonceFromHeader(buildContentSecurityPolicy({ nonce }))).toBe(nonce);
  });

  it("keeps nonces out of style-src, where one would disable 'unsafe-inline'", () => {
    expect(directives(buildContentSecurityPolicy({ nonce })).get("style-src")).toEqual([
      "'self'",
      "'unsafe-inline'",
    ]);
  });

  it("refuses a nonce that could end the directive", () => {
    for (const bad of ["", "abc'; script-src *", "a b", "a;b", "abc\r\nX-Injected: 1"]) {
      expect(() => buildContentSecurityPolicy({ nonce: bad })).toThrow(RangeError);
    }
  });

  it("never lets any nonce add or change a directive", () => {
    const expected = [...directives(buildContentSecurityPolicy({ nonce })).keys()];
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.base64String()), (candidate) => {
        let policy: string;
        try {
          policy = buildContentSecurityPolicy({ nonce: candidate });
        } catch {
          return;
        }
        expect([...directives(policy).keys()]).toEqual(expected);
        expect(getScriptNonceFromHeader(policy)).toBe(candidate);
      }),
    );
  });
});

describe("createNonce", () => {
  it("is 128 random bits in base64, different every time", () => {
    const nonces = Array.from({ length: 100 }, createNonce);
    for (const value of nonces) expect(Buffer.from(value, "base64")).toHaveLength(16);
    expect(new Set(nonces).size).toBe(nonces.length);
    expect(getScriptNonceFromHeader(buildContentSecurityPolicy({ nonce: nonces[0] ?? "" }))).toBe(
      nonces[0],
    );
  });
});
