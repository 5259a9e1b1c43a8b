import { describe, expect, it } from "vitest";
import { readEnv } from "@/lib/env";
import { EVENT_STREAM_MAX_DURATION_S, functionHostProblems } from "./function-host";

const problems = (source: Record<string, string>) => functionHostProblems(readEnv(source));

describe("functionHostProblems", () => {
  it("asks nothing of a container or a developer's machine", () => {
    expect(problems({})).toEqual([]);
  });

  it("on Vercel, refuses the in-memory provider and an unbounded stream, naming both", () => {
    const found = problems({ VERCEL: "1" });
    expect(found).toHaveLength(2);
    expect(found[0]).toMatch(/^DATABASE_URL or REDIS_URL: on Vercel/u);
    expect(found[1]).toMatch(/^SSE_MAX_STREAM_DURATION_MS: .*below .*300000 ms/u);
  });

  it("wants the stream to end before the route's maxDuration", () => {
    const base = { AWS_LAMBDA_FUNCTION_NAME: "app", REDIS_URL: "redis://r:6379" };
    const limitMs = EVENT_STREAM_MAX_DURATION_S * 1000;
    expect(problems({ ...base, SSE_MAX_STREAM_DURATION_MS: String(limitMs) })).toHaveLength(1);
    expect(problems({ ...base, SSE_MAX_STREAM_DURATION_MS: String(limitMs - 20_000) })).toEqual([]);
    expect(
      problems({
        VERCEL: "1",
        DATABASE_URL: "postgres://db/app",
        SSE_MAX_STREAM_DURATION_MS: "280000",
      }),
    ).toEqual([]);
  });
});
