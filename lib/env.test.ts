import { describe, expect, it } from "vitest";
import { createEnv, InvalidEnvironmentError, readEnv } from "./env";

describe("readEnv", () => {
  it("applies defaults when nothing is set", () => {
    const env = readEnv({});
    expect(env.SSE_SHUTDOWN_TIMEOUT_MS).toBe(10_000);
    expect(env.SSE_MAX_STREAM_DURATION_MS).toBeUndefined();
    expect(env.SSE_NOTIFY_CHANNEL_OF_SUBSCRIPTIONS).toBe(true);
    // A backstop out of the box: an instance is never unbounded unless someone says so (0).
    expect(env.SSE_MAX_STREAMS).toBe(20_000);
    expect(readEnv({ SSE_MAX_STREAMS: "0" }).SSE_MAX_STREAMS).toBe(0);
  });

  it("reads durations as numbers", () => {
    const env = readEnv({
      SSE_MAX_STREAM_DURATION_MS: "25000",
      SSE_END_OF_STREAM_RETRY_MS: "0",
      SSE_PRESENCE_FLUSH_MS: "0",
    });
    expect(env.SSE_MAX_STREAM_DURATION_MS).toBe(25_000);
    expect(env.SSE_END_OF_STREAM_RETRY_MS).toBe(0);
    expect(env.SSE_PRESENCE_FLUSH_MS).toBe(0);
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

  it("reads the auth, database and bench switches the app used to read raw", () => {
    expect(readEnv({})).toMatchObject({
      AUTH_TRUST_HOST: true,
      BENCH_EMPTY_ROUTE: false,
      PGLITE_DIR: undefined,
      AUTH_URL: undefined,
    });
    const env = readEnv({
      AUTH_TRUST_HOST: "false",
      BENCH_EMPTY_ROUTE: "1",
      PGLITE_DIR: "/var/lib/users",
      AUTH_URL: "https://chat.example",
      NODE_ENV: "production",
    });
    expect(env).toMatchObject({
      AUTH_TRUST_HOST: false,
      BENCH_EMPTY_ROUTE: true,
      PGLITE_DIR: "/var/lib/users",
      AUTH_URL: "https://chat.example",
      NODE_ENV: "production",
    });
    expect(readEnv({ AUTH_TRUST_HOST: "0" }).AUTH_TRUST_HOST).toBe(false);
  });

  it("names a bad switch with its value, a bad auth URL without it", () => {
    expect(() => readEnv({ BENCH_EMPTY_ROUTE: "yes" })).toThrow(/BENCH_EMPTY_ROUTE: .*"yes"/u);
    expect(() => readEnv({ AUTH_TRUST_HOST: "maybe" })).toThrow(/AUTH_TRUST_HOST: .*"maybe"/u);
    const bad = () => readEnv({ NEXTAUTH_URL: "secret@nowhere" });
    expect(bad).toThrow(/NEXTAUTH_URL: /u);
    expect(bad).not.toThrow(/secret@nowhere/u);
  });
});

describe("createEnv", () => {
  it("validates each variable once, when it is first read", () => {
    const source: Record<string, string | undefined> = { PORT: "8080", LOG_LEVEL: "loud" };
    const { env } = createEnv(source);
    expect(env.PORT).toBe(8080); // a bad LOG_LEVEL is not this reader's problem
    source.PORT = "not a port";
    expect(env.PORT).toBe(8080); // parsed once, kept
    expect(() => env.LOG_LEVEL).toThrow(InvalidEnvironmentError);
    expect(() => env.LOG_LEVEL).toThrow(/^Invalid environment \(1\):\n {2}- LOG_LEVEL: /u);
  });

  it("checks every variable at once on validate, one line each", () => {
    const { env, validate } = createEnv({
      PORT: "0",
      LOG_LEVEL: "loud",
      SSE_SHUTDOWN_TIMEOUT_MS: "5",
    });
    expect(validate).toThrow(InvalidEnvironmentError);
    try {
      validate();
    } catch (error) {
      expect((error as InvalidEnvironmentError).problems.map((p) => p.split(":")[0])).toEqual([
        "SSE_SHUTDOWN_TIMEOUT_MS",
        "PORT",
        "LOG_LEVEL",
      ]);
    }
    expect(env.INSTANCE_ID).toBeUndefined();
  });

  it("answers from what validate parsed, defaults included, and spreads like a plain object", () => {
    const { env, validate } = createEnv({ INSTANCE_ID: "a", SSE_PUBLISH_RATE_PER_SECOND: "5" });
    validate();
    expect(env.SSE_PUBLISH_RATE_PER_SECOND).toBe(5);
    expect(env.SSE_SHUTDOWN_TIMEOUT_MS).toBe(10_000);
    expect({ ...env }).toMatchObject({ INSTANCE_ID: "a", AUTH_TRUST_HOST: true });
  });
});
