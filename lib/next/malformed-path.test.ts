import { describe, expect, it } from "vitest";
import { refuseMalformedPath } from "./malformed-path";

describe("refuseMalformedPath", () => {
  it("passes paths that decode, escaped or not", () => {
    for (const path of ["/", "/chat", "/channels/a%20b/chat", "/avatars/%C3%A9.svg", "/a%2Fb"])
      expect(refuseMalformedPath(path), path).toBeNull();
  });

  it("answers 400 naming the path for escapes that are not UTF-8", async () => {
    for (const path of ["/api/%ZZ", "/channels/%FF/chat", "/x/%ED%A0%80", "/a%", "/a%2"]) {
      const response = refuseMalformedPath(path);
      expect(response?.status, path).toBe(400);
      const body = (await response!.json()) as { responseStatus: { message: string } };
      expect(body.responseStatus.message).toMatch(/path/iu);
    }
  });
});
