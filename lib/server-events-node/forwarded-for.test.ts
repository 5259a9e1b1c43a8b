import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { isPrivateAddress, settleForwardedFor, type ForwardedForTrust } from "./forwarded-for";

function settled(peer: string, sent: string | undefined, trust: ForwardedForTrust) {
  const req = {
    socket: { remoteAddress: peer },
    headers: sent === undefined ? {} : { "x-forwarded-for": sent },
  } as unknown as IncomingMessage;
  settleForwardedFor(req, trust);
  return req.headers["x-forwarded-for"];
}

describe("settleForwardedFor", () => {
  it("believes a proxy on a private network, and a client on the internet not at all", () => {
    expect(settled("10.0.0.7", "203.0.113.9", "private")).toBe("203.0.113.9");
    expect(settled("127.0.0.1", "203.0.113.9", "private")).toBe("203.0.113.9");
    // Someone on the internet writing their own header is counted under their real address.
    expect(settled("198.51.100.4", "203.0.113.9", "private")).toBe("203.0.113.9, 198.51.100.4");
  });

  it("always or never believes the header when told to", () => {
    expect(settled("198.51.100.4", "203.0.113.9", "always")).toBe("203.0.113.9");
    expect(settled("10.0.0.7", "203.0.113.9", "never")).toBe("203.0.113.9, 10.0.0.7");
  });

  it("never leaves junk as the entry that counts, even from a trusted proxy", () => {
    expect(settled("10.0.0.7", "junk", "private")).toBe("junk, 10.0.0.7");
    expect(settled("10.0.0.7", "203.0.113.9, not-an-ip", "always")).toBe(
      "203.0.113.9, not-an-ip, 10.0.0.7",
    );
  });

  it("counts a request whose connection lost its address under one shared key, not its header", () => {
    const req = {
      socket: { remoteAddress: undefined },
      headers: { "x-forwarded-for": "198.51.100.77" },
    } as unknown as IncomingMessage;
    settleForwardedFor(req, "always");
    expect(req.headers["x-forwarded-for"]).toBe("0.0.0.0");
  });

  it("fills a missing header with the connection's address", () => {
    expect(settled("198.51.100.4", undefined, "private")).toBe("198.51.100.4");
    expect(settled("10.0.0.7", "", "always")).toBe("10.0.0.7");
  });

  it("knows the private, loopback, link-local and shared ranges, in both families", () => {
    for (const address of [
      "127.0.0.1",
      "::ffff:127.0.0.1",
      "10.1.2.3",
      "172.16.0.1",
      "172.31.255.255",
      "192.168.1.1",
      "169.254.1.1",
      "100.64.0.1",
      "::1",
      "fd12:3456::1",
      "fe80::1",
    ])
      expect(isPrivateAddress(address), address).toBe(true);
    for (const address of ["8.8.8.8", "172.32.0.1", "100.128.0.1", "2001:db8::1", "::ffff:8.8.8.8"])
      expect(isPrivateAddress(address), address).toBe(false);
  });
});
