import { afterEach, describe, expect, it, vi } from "vitest";
import { connectBody } from "@/lib/server-events-client/testing/fake-server";
import { parseWire, toStreamInfo } from "./wire";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("toStreamInfo", () => {
  it("keeps what the page needs from the server's cmd.onConnect", () => {
    expect(toStreamInfo(connectBody("sub1", { channels: "home,lobby" }))).toEqual({
      id: "sub1",
      userId: "-1",
      displayName: "user1",
      profileUrl: "data:image/svg+xml,x",
      isAuthenticated: false,
      channels: ["home", "lobby"],
    });
  });

  it("gives null and warns for a body the page could not render", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    expect(toStreamInfo({ ...connectBody(), displayName: ["not", "a", "name"] })).toBeNull();
    expect(toStreamInfo({ ...connectBody(), displayName: "x".repeat(101) })).toBeNull();
    expect(toStreamInfo({ id: "sub1" })).toBeNull();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("cmd.onConnect"), expect.anything());
  });
});

describe("parseWire", () => {
  it("accepts each kind of tab message and nothing else", () => {
    expect(parseWire({ type: "bye", tabId: "a" })).toEqual({ type: "bye", tabId: "a" });
    expect(parseWire({ type: "state", state: "open", info: null })).toBeDefined();
    expect(parseWire({ type: "state", state: "exploded", info: null })).toBeUndefined();
    expect(parseWire({ type: "hello" })).toBeUndefined();
    expect(parseWire("bye")).toBeUndefined();
  });
});
