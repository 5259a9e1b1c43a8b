import { describe, expect, it, vi } from "vitest";
import { readEnv } from "@/lib/env";
import { resolveAuthLimits, SignInThrottle } from "./auth-throttle";
import { wrongPassword } from "./auth-throttle.contract";
import { refuseThrottledSignIns } from "./credentials-route";

const address = "203.0.113.20";

function setUp() {
  const throttle = new SignInThrottle(resolveAuthLimits(readEnv({})), { now: () => 0 }); // time stands still
  const handler = vi.fn((request: Request) =>
    request.text().then((body) => new Response(`auth.js saw ${body}`, { status: 302 })),
  );
  const log = { warn: vi.fn() };
  return { throttle, handler, log, post: refuseThrottledSignIns(handler, () => throttle, log) };
}

function credentialsPost(body: string, type = "application/x-www-form-urlencoded") {
  return new Request("http://localhost/api/auth/callback/credentials", {
    method: "POST",
    headers: { "content-type": type, "x-forwarded-for": address },
    body,
  });
}

describe("refuseThrottledSignIns", () => {
  it("passes sign-ins through, body intact, while the name is not throttled", async () => {
    const { post, handler, log } = setUp();
    const response = await post(credentialsPost("name=ada&password=x"));
    expect(await response.text()).toBe("auth.js saw name=ada&password=x");
    expect(handler).toHaveBeenCalledOnce();
    expect(log.warn).not.toHaveBeenCalled();
  });

  it("answers 429 with Retry-After once the name is throttled, in any case", async () => {
    const { post, handler, throttle, log } = setUp();
    for (let i = 0; i < 10; i++) await wrongPassword(throttle, "ada", `198.51.100.${i}`);
    const response = await post(credentialsPost("name=ADA&password=right"));
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("900");
    expect(await response.json()).toEqual({
      error: "Too many attempts; try again in 15 minutes",
      retryAfterSeconds: 900,
    });
    expect(handler).not.toHaveBeenCalled();
    expect(log.warn).toHaveBeenCalledOnce();
    expect(log.warn).toHaveBeenCalledWith(
      expect.objectContaining({ name: "ADA", address, reason: "throttled" }),
      "sign-in refused: too many attempts",
    );
  });

  it("lets through a browser that signed in to the name before, for authorize to judge", async () => {
    const { throttle, handler, log } = setUp();
    const recognize = (request: Request, name: string) =>
      Promise.resolve(
        request.headers.get("cookie") === "device=ada" && name === "ada" ? "d1" : undefined,
      );
    const post = refuseThrottledSignIns(handler, () => throttle, log, recognize);
    for (let i = 0; i < 10; i++) await wrongPassword(throttle, "ada", address);
    const request = credentialsPost("name=ada&password=right");
    request.headers.set("cookie", "device=ada");
    expect((await post(request)).status).toBe(302);
    expect((await post(credentialsPost("name=ada&password=right"))).status).toBe(429);
  });

  it("answers 429 to JSON bodies and to a throttled address too", async () => {
    const { post, throttle } = setUp();
    for (let i = 0; i < 10; i++) await wrongPassword(throttle, `name${i}`, address);
    const json = await post(credentialsPost(JSON.stringify({ name: "bob" }), "application/json"));
    expect(json.status).toBe(429);
    const empty = await post(credentialsPost("", "text/plain"));
    expect(empty.status).toBe(429);
  });

  it("leaves every other Auth.js request alone", async () => {
    const { post, handler, throttle } = setUp();
    for (let i = 0; i < 10; i++) await wrongPassword(throttle, `name${i}`, address);
    const signOut = new Request("http://localhost/api/auth/signout", {
      method: "POST",
      headers: { "x-forwarded-for": address },
    });
    expect((await post(signOut)).status).toBe(302);
    expect(handler).toHaveBeenCalledOnce();
  });
});
