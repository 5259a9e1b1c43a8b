import { describe, expect, it } from "vitest";
import {
  hasUsableSiteHeaders,
  refuseCrossSiteAction,
  refuseMalformedActionId,
  settleProxyHeaders,
} from "./proxy-headers";

function settle(input: Record<string, string>) {
  const headers = new Map(Object.entries(input));
  const problem = settleProxyHeaders({
    get: (name) => headers.get(name),
    set: (name, value) => (value === undefined ? headers.delete(name) : headers.set(name, value)),
  });
  return { problem, headers: Object.fromEntries(headers) };
}

describe("settleProxyHeaders", () => {
  it("keeps what proxies send", () => {
    const sent = {
      host: "127.0.0.1:3000",
      "x-forwarded-host": "chat.example.com",
      "x-forwarded-proto": "https",
    };
    expect(settle(sent)).toEqual({ problem: null, headers: sent });
    for (const host of ["[::1]:3000", "example.com.", "my_app:3000", "bücher.example"])
      expect(settle({ host }).problem, host).toBeNull();
  });

  it("keeps the first entry of a list, and drops empty headers", () => {
    expect(
      settle({ "x-forwarded-proto": "HTTPS, http", "x-forwarded-host": " a.example , b.example" }),
    ).toEqual({
      problem: null,
      headers: { "x-forwarded-proto": "https", "x-forwarded-host": "a.example" },
    });
    expect(settle({ "x-forwarded-proto": "", "x-forwarded-host": " " })).toEqual({
      problem: null,
      headers: {},
    });
  });

  it("names the malformed header", () => {
    expect(settle({ "x-forwarded-proto": "ftp" }).problem?.header).toBe("X-Forwarded-Proto");
    expect(settle({ "x-forwarded-host": "a b" }).problem?.header).toBe("X-Forwarded-Host");
    expect(settle({ "x-forwarded-host": "evil.example/path" }).problem?.header).toBe(
      "X-Forwarded-Host",
    );
    expect(settle({ host: "a b" }).problem?.header).toBe("Host");
    expect(settle({ host: "" }).problem?.header).toBe("Host");
    for (const host of ["x:99999999", "x:65536", "[:::::]", "a@b", "a\\b", "a?b", "a#b", "a:b:c"])
      expect(settle({ host }).problem?.header, host).toBe("Host");
  });
});

describe("refuseCrossSiteAction", () => {
  const check = (method: string, input: Record<string, string>) =>
    refuseCrossSiteAction(method, {
      get: (name) => input[name],
      set: () => undefined,
    });

  it("lets same-site forms and requests without an Origin through", () => {
    expect(check("POST", { host: "127.0.0.1:3000", origin: "http://127.0.0.1:3000" })).toBeNull();
    expect(
      check("POST", {
        host: "10.0.0.5:3000",
        "x-forwarded-host": "chat.example.com",
        origin: "https://chat.example.com",
      }),
    ).toBeNull();
    expect(check("POST", { host: "127.0.0.1:3000" })).toBeNull();
    expect(check("GET", { host: "127.0.0.1:3000", origin: "https://evil.example" })).toBeNull();
  });

  it("refuses other sites, opaque and malformed origins with a 403 naming Origin", () => {
    for (const origin of ["https://evil.example", "null", "", "http://127.0.0.1:3000/x", "x"])
      expect(check("POST", { host: "127.0.0.1:3000", origin })).toMatchObject({
        status: 403,
        header: "Origin",
      });
  });
});

describe("refuseMalformedActionId", () => {
  const check = (input: Record<string, string>) =>
    refuseMalformedActionId({ get: (name) => input[name], set: () => undefined });

  it("lets requests without one, and ids shaped as Next writes them, through", () => {
    expect(check({})).toBeNull();
    expect(check({ "next-action": "40".padEnd(42, "0c3f") })).toBeNull();
  });

  it("refuses anything else with a 400 naming Next-Action", () => {
    for (const action of ["", "bogus", "0".repeat(40), "A".repeat(42), "0".repeat(43)])
      expect(check({ "next-action": action })).toMatchObject({
        status: 400,
        header: "Next-Action",
      });
  });
});

describe("hasUsableSiteHeaders", () => {
  const usable = (input: Record<string, string>) => hasUsableSiteHeaders((name) => input[name]);

  it("accepts what Auth.js can build the site's URL from, as it is", () => {
    expect(usable({ host: "127.0.0.1:3000", "x-forwarded-proto": "http" })).toBe(true);
    expect(usable({ host: "10.0.0.5", "x-forwarded-host": "chat.example.com" })).toBe(true);
  });

  it("refuses lists, empty values and other schemes, which it cannot", () => {
    const inputs: Record<string, string>[] = [
      { host: "127.0.0.1:3000", "x-forwarded-proto": "a" },
      { host: "127.0.0.1:3000", "x-forwarded-proto": "http, https" },
      { host: "127.0.0.1:3000", "x-forwarded-host": "" },
      { host: "a b" },
      {},
    ];
    for (const input of inputs) expect(usable(input), JSON.stringify(input)).toBe(false);
  });
});
