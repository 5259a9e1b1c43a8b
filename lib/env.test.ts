import { describe, expect, it } from "vitest";
import { InvalidEnvironmentError, readEnv } from "./env";

describe("readEnv", () => {
  it("applies defaults when nothing is set", () => {
    const env = readEnv({});
    expect(env.SSE_SHUTDOWN_TIMEOUT_MS).toBe(10_000);
    expect(env.SSE_MAX_STREAM_DURATION_MS).toBeUndefined();
    expect(env.SSE_NOTIFY_CHANNEL_OF_SUBSCRIPTIONS).toBe(true);
  });

  it("reads durations as numbers", () => {
    const env = readEnv({ SSE_MAX_STREAM_DURATION_MS: "25000", SSE_END_OF_STREAM_RETRY_MS: "0" });
    expect(env.SSE_MAX_STREAM_DURATION_MS).toBe(25_000);
    expect(env.SSE_END_OF_STREAM_RETRY_MS).toBe(0);
  });

  it("names every bad variable on a line of its own, with what was given", () => {
    const read = () =>
      readEnv({
        SSE_MAX_STREAM_DURATION_MS: "soon",
        PORT: "70000",
        LOG_LEVEL: "loud",
        DATABASE_URL: "not a url",
      });
    expect(read).toThrow(InvalidEnvironmentError);
    const error = (() => {
      try {
        read();
      } catch (caught) {
        return caught as InvalidEnvironmentError;
      }
      throw new Error("readEnv accepted a bad environment");
    })();
    expect(error.problems).toHaveLength(4);
    const lines = error.message.split("\n").slice(1);
    expect(lines).toHaveLength(4);
    expect(lines.find((line) => line.includes("SSE_MAX_STREAM_DURATION_MS"))).toContain('"soon"');
    expect(lines.find((line) => line.includes("PORT"))).toContain('"70000"');
    expect(lines.find((line) => line.includes("LOG_LEVEL"))).toContain('"loud"');
    // URLs may carry passwords: the value is never echoed.
    expect(lines.find((line) => line.includes("DATABASE_URL"))).not.toContain("not a url");
  });

  it("takes endpoint paths or off, and names a malformed one", () => {
    expect(readEnv({ SSE_STREAM_PATH: "/sse/v2", SSE_UNREGISTER_PATH: "off" })).toMatchObject({
      SSE_STREAM_PATH: "/sse/v2",
      SSE_UNREGISTER_PATH: "off",
    });
    for (const bad of ["sse", "/", "/a b", "/x/", "//x"])
      expect(() => readEnv({ SSE_HEARTBEAT_PATH: bad }), bad).toThrow(
        /SSE_HEARTBEAT_PATH: must be a path/u,
      );
  });

  it("treats empty values as unset", () => {
    expect(readEnv({ PORT: "", SSE_MAX_STREAM_DURATION_MS: "" }).PORT).toBeUndefined();
  });
});
