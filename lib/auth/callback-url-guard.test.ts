import { describe, expect, it, vi } from "vitest";
import { refuseInvalidCallbackUrls } from "./callback-url-guard";

function setUp() {
  const handler = vi.fn(() => Promise.resolve(new Response("auth.js", { status: 302 })));
  return { handler, guarded: refuseInvalidCallbackUrls(handler) };
}

const signin = (query = "", cookie?: string) =>
  new Request(`http://localhost/api/auth/signin${query}`, {
    headers: cookie ? { cookie } : {},
  });

describe("refuseInvalidCallbackUrls", () => {
  it("passes paths and http(s) URLs on to Auth.js", async () => {
    const { handler, guarded } = setUp();
    for (const request of [
      signin(),
      signin("?callbackUrl=%2Fchat"),
      signin("?callbackUrl=https%3A%2F%2Fexample.com%2Fchat"),
      signin("", "authjs.callback-url=%2Fshapes; other=1"),
    ])
      expect((await guarded(request)).status).toBe(302);
    expect(handler).toHaveBeenCalledTimes(4);
  });

  it("answers 400 naming callbackUrl to a javascript: or unparsable one, unseen by Auth.js", async () => {
    const { handler, guarded } = setUp();
    for (const value of ["javascript:alert(1)", "data:text/html,x", "http://[::1"]) {
      const response = await guarded(signin(`?callbackUrl=${encodeURIComponent(value)}`));
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: string }).error).toContain("'callbackUrl'");
    }
    expect(handler).not.toHaveBeenCalled();
  });

  it("answers 400 to such a callback cookie, and clears it", async () => {
    const { handler, guarded } = setUp();
    const response = await guarded(
      signin("", "__Secure-authjs.callback-url=javascript%3Aalert(1)"),
    );
    expect(response.status).toBe(400);
    expect(response.headers.get("set-cookie")).toMatch(
      /^__Secure-authjs\.callback-url=; .*Max-Age=0/u,
    );
    expect(handler).not.toHaveBeenCalled();
  });
});
