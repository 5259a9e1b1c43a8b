import { describe, expect, it } from "vitest";
import { readEnv } from "@/lib/env";
import { endpointPaths, pathsOnlyTheNodeServerServes } from "./endpoint-paths";

describe("endpoint paths", () => {
  it("moves an endpoint, turns one off, and keeps ServiceStack's paths otherwise", () => {
    const paths = endpointPaths(readEnv({ SSE_STREAM_PATH: "/sse", SSE_HEARTBEAT_PATH: "off" }));
    expect(paths).toEqual({
      streamPath: "/sse",
      heartbeatPath: null,
      unRegisterPath: "/event-unregister",
      subscribersPath: "/event-subscribers",
      updateSubscriberPath: "/event-subscribers",
    });
  });

  it("names every moved path that only npm start serves, and nothing else", () => {
    const env = readEnv({
      SSE_STREAM_PATH: "/sse",
      SSE_HEARTBEAT_PATH: "off",
      SSE_UNREGISTER_PATH: "/event-unregister",
      SSE_SUBSCRIBERS_PATH: "/members",
    });
    const problems = pathsOnlyTheNodeServerServes(env);
    expect(problems.map((problem) => problem.split(":")[0])).toEqual([
      "SSE_STREAM_PATH",
      "SSE_SUBSCRIBERS_PATH",
    ]);
    expect(problems[0]).toContain("/sse is served by npm start only");
    expect(pathsOnlyTheNodeServerServes(readEnv({}))).toEqual([]);
  });
});
