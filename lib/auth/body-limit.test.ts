import { describe, expect, it, vi } from "vitest";
import { MAX_AUTH_BODY_BYTES, refuseLargeBodies } from "./body-limit";

const url = "http://localhost/api/auth/callback/credentials";

function guarded() {
  const handler = vi.fn((_: Request) => Promise.resolve(new Response("auth.js")));
  return { handler, post: refuseLargeBodies(handler) };
}

describe("refuseLargeBodies", () => {
  it("passes Auth.js's own forms through", async () => {
    const { handler, post } = guarded();
    const body = new URLSearchParams({ name: "ada", password: "x".repeat(72), csrfToken: "t" });
    const headers = { "content-length": String(body.toString().length) };
    const response = await post(new Request(url, { method: "POST", headers, body }));
    expect(await response.text()).toBe("auth.js");
    expect(handler).toHaveBeenCalledOnce();
  });

  it("answers 413 to a body declared larger than 64 KB, without reading it", async () => {
    const { handler, post } = guarded();
    const response = await post(
      new Request(url, {
        method: "POST",
        headers: { "content-length": String(MAX_AUTH_BODY_BYTES + 1) },
        body: "{}",
      }),
    );
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ field: "body" });
    expect(handler).not.toHaveBeenCalled();
  });

  it("answers 411 to a chunked body, which has no length to check", async () => {
    const { handler, post } = guarded();
    const response = await post(
      new Request(url, {
        method: "POST",
        headers: { "transfer-encoding": "chunked" },
        body: new ReadableStream({ start: (controller) => controller.close() }),
        duplex: "half",
      } as RequestInit),
    );
    expect(response.status).toBe(411);
    expect(handler).not.toHaveBeenCalled();
  });

  it("lets a request without a body through", async () => {
    const { handler, post } = guarded();
    await post(new Request(url, { method: "POST" }));
    expect(handler).toHaveBeenCalledOnce();
  });
});
