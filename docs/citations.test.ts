import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The docs prove their claims by naming tests: "`file.test.ts` › what it asserts". When a test is
 * renamed or moves to another file, the citation must follow, or the threat table points at
 * nothing. A citation names a file by its path or its name alone, then the start of a test's or
 * a group's title (the docs shorten titles with "…").
 */
const root = path.resolve(import.meta.dirname, "..");
const documents = [
  "README.md",
  "docs/architecture.md",
  "docs/deploy.md",
  "docs/protocol.md",
  "docs/security.md",
];
const tracked = execFileSync("git", ["ls-files"], { cwd: root, encoding: "utf8" }).split("\n");
const citation = /`([\w./-]+\.(?:test|spec|contract)\.ts)`\s*›\s*([^|;`]+)/gu;

interface Citation {
  document: string;
  file: string;
  title: string;
}

function citationsIn(document: string): Citation[] {
  const text = readFileSync(path.join(root, document), "utf8");
  return [...text.matchAll(citation)].map(([, file = "", title = ""]) => ({
    document,
    file,
    // Markdown escapes out, and only the first title of a "group › test" or "a, › b" list.
    title: title
      .replaceAll("\\", "")
      .split(/…| › |, ›/u)[0]!
      .trim()
      .replace(/,$/u, ""),
  }));
}

/** The files a citation can mean: the path itself, or every tracked file of that name. */
function filesNamed(file: string): string[] {
  return tracked.filter((candidate) => candidate === file || candidate.endsWith(`/${file}`));
}

const citations = documents.flatMap(citationsIn);

describe("tests the docs cite", () => {
  it("finds citations to check", () => {
    expect(citations.length).toBeGreaterThan(50);
  });

  it.each(citations.map((c) => [`${c.document}: ${c.file} › ${c.title}`, c] as const))(
    "%s exists",
    (_label, { file, title }) => {
      const files = filesNamed(file);
      expect(files, `no file ${file}`).not.toEqual([]);
      const prefix = title.slice(0, 30);
      const found = files.some((candidate) =>
        readFileSync(path.join(root, candidate), "utf8").includes(prefix),
      );
      expect(found, `no test titled "${prefix}…" in ${files.join(", ")}`).toBe(true);
    },
  );
});
