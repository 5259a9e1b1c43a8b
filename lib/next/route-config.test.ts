import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EVENT_STREAM_MAX_DURATION_S } from "./function-host";

// Route files live under app/; their test lives here because the unit project runs lib/**.
const appDir = path.join(import.meta.dirname, "..", "..", "app");
const routeFiles = readdirSync(appDir, { recursive: true, encoding: "utf8" })
  .filter((file) => path.basename(file) === "route.ts")
  .map((file) => ({ file, source: readFileSync(path.join(appDir, file), "utf8") }));

/** The literal a route file exports as `name` (Next reads these statically at build time). */
const exported = (source: string, name: string) =>
  new RegExp(`^export const ${name} = ([^;]+);$`, "mu").exec(source)?.[1];

describe("route handlers on a host with a function time limit (docs/deploy.md)", () => {
  it("finds the route files", () => {
    expect(routeFiles.length).toBeGreaterThan(10);
  });

  it("every one runs on Node and declares how long it may run", () => {
    for (const { file, source } of routeFiles) {
      expect(exported(source, "runtime"), file).toBe('"nodejs"');
      expect(Number(exported(source, "maxDuration")), file).toBeGreaterThan(0);
    }
  });

  it("only the event stream runs long; a request that answers takes seconds at most", () => {
    for (const { file, source } of routeFiles) {
      const seconds = Number(exported(source, "maxDuration"));
      if (file.startsWith(`event-stream${path.sep}`))
        expect(seconds, file).toBe(EVENT_STREAM_MAX_DURATION_S);
      else expect(seconds, file).toBeLessThanOrEqual(30);
    }
  });
});
