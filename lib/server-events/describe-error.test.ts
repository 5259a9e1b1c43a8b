import { describe, expect, it } from "vitest";
import { describeError } from "./describe-error";

describe("describeError", () => {
  it("never gives a connection string found in the message", () => {
    const error = new Error("could not connect to postgres://user:secret@host/db: timeout");
    const described = describeError(error);
    expect(described).toBe("could not connect to <url> timeout");
    expect(described).not.toContain("secret");
  });

  it("never gives a password from a key-value string, or credentials written without a scheme", () => {
    expect(describeError(new Error("bad dsn host=db user=app password=s3cret dbname=x"))).toBe(
      "bad dsn host=db user=app password=<hidden> dbname=x",
    );
    expect(describeError(new Error("cannot reach app:s3cret@db.internal:6379"))).toBe(
      "cannot reach <credentials>",
    );
  });

  it("gives the code when there is one, else the first line, at most 200 characters", () => {
    expect(
      describeError(Object.assign(new Error("redis://:pw@cache:6379"), { code: "ECONNREFUSED" })),
    ).toBe("ECONNREFUSED");
    expect(describeError(new Error("first line\n    at stack (file.ts:1:1)"))).toBe("first line");
    expect(describeError(new Error("x".repeat(500)))).toHaveLength(200);
    expect(describeError("rediss://user:pw@host down")).toBe("<url> down");
  });
});
