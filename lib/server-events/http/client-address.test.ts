import { describe, expect, it } from "vitest";
import { clientAddress, normalizeAddress } from "./client-address";

const withForwardedFor = (value: string) => new Headers({ "x-forwarded-for": value });

describe("clientAddress", () => {
  it("takes the right-most X-Forwarded-For entry, the one the nearest proxy (or Next) wrote", () => {
    expect(clientAddress(withForwardedFor("6.6.6.6, 10.0.0.1, 203.0.113.7"))).toBe("203.0.113.7");
    expect(clientAddress(withForwardedFor("203.0.113.7"))).toBe("203.0.113.7");
  });

  it("ignores whatever the client put to the left", () => {
    const spoofed = [1, 2, 3].map((n) =>
      clientAddress(withForwardedFor(`9.9.9.${n}, 198.51.100.4`)),
    );
    expect(new Set(spoofed)).toEqual(new Set(["198.51.100.4"]));
  });

  it("has no address when the header is missing or not an IP address", () => {
    expect(clientAddress(new Headers())).toBeUndefined();
    expect(clientAddress(withForwardedFor("1.2.3.4, unknown"))).toBeUndefined();
  });
});

describe("normalizeAddress", () => {
  it.each([
    ["127.0.0.1", "127.0.0.1"],
    ["::ffff:127.0.0.1", "127.0.0.1"],
    ["203.0.113.7:51234", "203.0.113.7"],
    ["[::ffff:10.1.2.3]:443", "10.1.2.3"],
    ["::1", "0:0:0:0::/64"],
    ["2001:db8::1", "2001:db8:0:0::/64"],
    ["2001:DB8:0:0:ffff:1:2:3", "2001:db8:0:0::/64"],
    ["2001:0db8:0000:0000::abcd", "2001:db8:0:0::/64"],
    ["fe80::1%eth0", "fe80:0:0:0::/64"],
    ["[2001:db8:1:2::5]:8080", "2001:db8:1:2::/64"],
  ])("counts %j as %j", (value, key) => {
    expect(normalizeAddress(value)).toBe(key);
  });

  it("puts every address of one IPv6 /64 under one key", () => {
    expect(normalizeAddress("2001:db8:1:2:aaaa::1")).toBe(normalizeAddress("2001:db8:1:2:bbbb::9"));
    expect(normalizeAddress("2001:db8:1:2::1")).not.toBe(normalizeAddress("2001:db8:1:3::1"));
  });

  it.each(["", "unknown", "1:2:3", "1::2::3", "12345::", "1:2:3:4:5:6:7:8:9", "g::1", "::1::"])(
    "rejects %j",
    (value) => {
      expect(normalizeAddress(value)).toBeUndefined();
    },
  );
});
