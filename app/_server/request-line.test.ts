import { describe, expect, it } from "vitest";
import { requestLineProblem } from "./request-line";

describe("requestLineProblem", () => {
  it("lets through every method the app serves, on a path", () => {
    for (const method of ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
      expect(requestLineProblem(method, "/chat?x=1")).toBeNull();
  });

  it("refuses TRACE and methods nothing here answers with a 405 naming the method", () => {
    for (const method of ["TRACE", "TRACK", "PROPFIND", "get"]) {
      const problem = requestLineProblem(method, "/chat");
      expect(problem).toMatchObject({ status: 405, field: "method" });
      expect(problem?.message).toContain(`'${method}'`);
    }
  });

  it("refuses a request target that is not a path with a 400 naming the target", () => {
    for (const target of ["*", "http://evil.example/chat", "//evil.example/chat", ""])
      expect(requestLineProblem("GET", target)).toMatchObject({ status: 400, field: "target" });
  });
});
