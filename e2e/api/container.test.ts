/**
 * The container image's pieces, checked without Docker (there is none on CI machines): the
 * Dockerfile runs `npm start`'s command, and what that command loads at run time is installed by
 * `npm ci --omit=dev` (the image's only dependencies). The running server itself is what every
 * other suite in this project tests.
 */
import { readdir, readFile } from "node:fs/promises";
import { builtinModules } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { assertBuilt, projectRoot } from "./support/next-server";

const read = (file: string) => readFile(path.join(projectRoot, file), "utf8");
const packageJson = JSON.parse(await read("package.json")) as {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
};

/** `a/b/c` → `a`, `@scope/a/b` → `@scope/a`. */
const packageOf = (specifier: string) =>
  specifier
    .split("/")
    .slice(0, specifier.startsWith("@") ? 2 : 1)
    .join("/");

describe("the container image (Dockerfile)", () => {
  it("runs what `npm start` runs, with a health check on /healthz, as a non-root user", async () => {
    const dockerfile = await read("Dockerfile");
    const cmd = /^CMD (\[.*\])$/mu.exec(dockerfile)?.[1];
    expect(cmd, "Dockerfile has an exec-form CMD").toBeDefined();
    expect((JSON.parse(cmd!) as string[]).join(" ")).toBe(packageJson.scripts.start);
    expect(dockerfile).toMatch(/^HEALTHCHECK [^\n]*\\\n[^\n]*\/healthz/mu);
    expect(dockerfile).toMatch(/^USER node$/mu);
    expect(dockerfile).toMatch(/npm ci --omit=dev/u);
  });

  it("needs nothing at run time beyond the production dependencies", async () => {
    assertBuilt("node");
    const dir = path.join(projectRoot, ".next", "fast-server");
    const files = [
      path.join(dir, "server.mjs"),
      ...(await readdir(path.join(dir, "chunks")))
        .filter((file) => file.endsWith(".mjs"))
        .map((file) => path.join(dir, "chunks", file)),
    ];
    const specifiers = new Set<string>();
    for (const file of files) {
      const code = await readFile(file, "utf8");
      for (const match of code.matchAll(/(?:^import\b[^;]*?\bfrom ?|\bimport\()"([^"]+)"/gmu))
        specifiers.add(match[1]!);
    }
    const packages = [...specifiers]
      .filter((specifier) => !specifier.startsWith(".") && !specifier.startsWith("node:"))
      .filter((specifier) => !builtinModules.includes(specifier))
      .map(packageOf);
    expect(packages.length).toBeGreaterThan(0);
    const missing = [...new Set(packages)].filter((name) => !(name in packageJson.dependencies));
    expect(missing, "imported by the Node server but not in dependencies").toEqual([]);
  });
});
