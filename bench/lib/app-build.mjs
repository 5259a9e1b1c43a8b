// @ts-check
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { nodeServerBundle, root } from "../servers/launch.mjs";

const buildIdFile = path.join(root, ".next/BUILD_ID");

function newestSource(dir) {
  /** @type {{ file: string | null, mtime: number }} */
  let newest = { file: null, mtime: 0 };
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      const inner = newestSource(full);
      if (inner.mtime > newest.mtime) newest = inner;
    } else if (/\.(ts|tsx|mjs|js)$/.test(entry.name) && !/\.test\./.test(entry.name)) {
      const { mtimeMs } = statSync(full);
      if (mtimeMs > newest.mtime) newest = { file: full, mtime: mtimeMs };
    }
  }
  return newest;
}

/**
 * Builds the app once when `.next/BUILD_ID` is missing (and the Node server bundle when that is);
 * warns when sources are newer.
 */
export async function ensureBuild(log) {
  const notes = [];
  if (!existsSync(buildIdFile)) {
    log(".next/BUILD_ID is missing: running `npx next build` (once)");
    notes.push("`.next/BUILD_ID` was missing, so this run built the app with `npx next build`.");
    execFileSync("npx", ["next", "build"], {
      cwd: root,
      stdio: "inherit",
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
    });
  }
  if (!existsSync(nodeServerBundle)) {
    log(".next/fast-server/server.mjs is missing: running `npm run build:node-server` (once)");
    notes.push(
      "The Node server bundle was missing, so this run bundled it (`npm run build:node-server`).",
    );
    execFileSync("npm", ["run", "build:node-server"], { cwd: root, stdio: "inherit" });
  }
  const buildId = readFileSync(buildIdFile, "utf8").trim();
  const builtAt = statSync(buildIdFile).mtimeMs;
  const newest = [newestSource(path.join(root, "app")), newestSource(path.join(root, "lib"))].sort(
    (a, b) => b.mtime - a.mtime,
  )[0];
  if (newest.mtime > builtAt) {
    const note = `The build (${buildId}, ${new Date(builtAt).toISOString()}) is older than ${path.relative(root, newest.file ?? "")} (${new Date(newest.mtime).toISOString()}): the numbers are for the built code.`;
    log(`warning: ${note}`);
    notes.push(note);
  }
  return { buildId, builtAt: new Date(builtAt).toISOString(), notes };
}

/**
 * Whether the app imports a provider: `app/_server/app-services.ts` loads it through its own
 * module (`postgres-app-services.ts`, `redis-app-services.ts`), so every server file is read.
 */
function wires(pattern) {
  const dir = path.join(root, "app/_server");
  try {
    return readdirSync(dir)
      .filter((name) => name.endsWith(".ts") && !name.includes(".test."))
      .some((name) => pattern.test(readFileSync(path.join(dir, name), "utf8")));
  } catch {
    return false;
  }
}

/** True when the app wires the Postgres provider (a lib/next module imports it). */
export function postgresProviderAvailable() {
  return wires(/server-events-postgres/);
}

/** True when the app wires the Redis provider (a lib/next module imports it). */
export function redisProviderAvailable() {
  return wires(/server-events-redis/);
}
