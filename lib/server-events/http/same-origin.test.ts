import { describe, expect, it, vi } from "vitest";
import { ServerEventsError } from "../errors";
import { otherSiteCheck, sameOriginOnly } from "./same-origin";

const alice = { isAuthenticated: true, userId: "u-alice", userName: "alice" };

function setUp(trustedOrigins?: string[]) {
  const resolve = vi.fn(() => Promise.resolve(alice));
  return { resolve, guarded: sameOriginOnly(resolve, otherSiteCheck(trustedOrigins)) };
}

const request = (headers: Record<string, string>) => ({
  method: "POST",
  url: "http://chat.example/api/PostChatToChannel",
  headers: new Headers({ host: "chat.example", ...headers }),
});

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ServerEventsError);
  return `${(error as ServerEventsError).status} ${(error as ServerEventsError).field}`;
}

describe("sameOriginOnly", () => {
  it("resolves requests from this site's pages and from no page at all", async () => {
    const { guarded, resolve } = setUp();
    for (const headers of <Record<string, string>[]>[
      {},
      { origin: "http://chat.example", "sec-fetch-site": "same-origin" },
      { origin: "https://CHAT.example" },
      { "sec-fetch-site": "none" },
      // Behind a proxy: the host the client asked for is the forwarded one.
      { host: "10.0.0.5:3000", "x-forwarded-host": "chat.example", origin: "https://chat.example" },
    ])
      await expect(guarded(request(headers))).resolves.toBe(alice);
    expect(resolve).toHaveBeenCalledTimes(5);
  });

  it("refuses what another site's page sends with a visitor's cookies, before looking at them", async () => {
    const { guarded, resolve } = setUp();
    expect(await refusal(guarded(request({ origin: "https://evil.example" })))).toBe("403 Origin");
    expect(await refusal(guarded(request({ origin: "null" })))).toBe("403 Origin");
    expect(await refusal(guarded(request({ origin: "https://chat.example.evil.example" })))).toBe(
      "403 Origin",
    );
    for (const site of ["cross-site", "same-site"])
      expect(await refusal(guarded(request({ "sec-fetch-site": site })))).toBe(
        "403 Sec-Fetch-Site",
      );
    expect(resolve).not.toHaveBeenCalled();
  });

  it("lets pages of a trusted origin call", async () => {
    const { guarded } = setUp(["https://app.example"]);
    const headers = { origin: "https://app.example", "sec-fetch-site": "cross-site" };
    await expect(guarded(request(headers))).resolves.toBe(alice);
    expect(await refusal(guarded(request({ origin: "https://evil.example" })))).toBe("403 Origin");
  });
});
