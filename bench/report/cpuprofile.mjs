// @ts-check
/**
 * Reads a V8 .cpuprofile and returns the top frames by self time, mapped back through source maps
 * (the .next server chunks and Next's compiled runtimes ship .map files), plus a breakdown by area.
 */
import { existsSync, readFileSync } from "node:fs";
import { SourceMap } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const maps = new Map();

function sourceMapFor(file) {
  if (maps.has(file)) return maps.get(file);
  let map = null;
  try {
    if (existsSync(`${file}.map`))
      map = new SourceMap(JSON.parse(readFileSync(`${file}.map`, "utf8")));
  } catch {
    map = null;
  }
  maps.set(file, map);
  return map;
}

function toFile(url) {
  if (!url) return "";
  if (url.startsWith("file://")) return fileURLToPath(url);
  return url;
}

/** Original location of a frame: `{ source, line, name }`. */
function locate(callFrame, root) {
  const file = toFile(callFrame.url);
  const generated = {
    source: file.startsWith(root) ? path.relative(root, file) : file || "(native)",
    line: callFrame.lineNumber + 1,
    name: callFrame.functionName,
  };
  const map = file && sourceMapFor(file);
  if (!map || callFrame.lineNumber < 0) return generated;
  const entry = map.findEntry(callFrame.lineNumber, callFrame.columnNumber);
  if (!entry || !entry.originalSource) return generated;
  let source = entry.originalSource
    .replace(/^file:\/\//, "")
    .replace(/^turbopack:\/\/\/\[project\]\//, "")
    .replace(/^webpack:\/\/[^/]*\//, "");
  // Relative sources are relative to the bundle that maps to them.
  if (!path.isAbsolute(source)) source = path.resolve(path.dirname(file), source);
  source = path.relative(root, source);
  // Next's own sources sit beside its compiled runtime: name them after the package.
  source = source.replace(
    /^node_modules\/next\/dist\/(?:compiled\/next-server\/)?(?:\.\.\/)*/,
    "next/",
  );
  return {
    source,
    line: entry.originalLine + 1,
    name: entry.name && entry.name.length > 2 ? entry.name : callFrame.functionName,
  };
}

/** Which part of the stack a frame belongs to. */
function areaOf(source, name) {
  if (/^lib\/server-events\//.test(source)) return "lib/server-events (our core)";
  if (/^lib\/|^app\//.test(source)) return "lib/next, app (our wiring)";
  if (/pino|thread-stream|sonic-boom/.test(source)) return "pino (logging)";
  if (/^(next\/|src\/)|node_modules\/next\/|\.next\//.test(source)) return "Next.js";
  if (/^node:.*webstreams/.test(source)) return "Node.js web streams";
  if (/^node:.*async_hooks|^node:internal\/async_local_storage/.test(source))
    return "Node.js async_hooks (AsyncLocalStorage)";
  if (/^node:.*undici/.test(source)) return "Node.js undici (Request/Response/Headers)";
  if (/^node:/.test(source)) return "Node.js other (http, net, streams)";
  if (/^\((garbage collector|program|idle)\)$/.test(name)) return name;
  if (source === "(native)") return "V8 builtins/native";
  if (/^node_modules\//.test(source)) return source.split("/").slice(0, 2).join("/");
  return "other";
}

/**
 * `window` ({ from, to } in ms of CLOCK_MONOTONIC, the clock of bench/lib/clock.mjs and of V8's
 * sample timestamps) keeps only the samples of one phase.
 * @param {string} file
 * @param {string} root
 * @param {{ top?: number, window?: { from: number, to: number } | null }} [options]
 */
export function summarizeProfile(file, root, { top = 25, window = null } = {}) {
  const profile = JSON.parse(readFileSync(file, "utf8"));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMs = new Map();
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (window && (at < window.from * 1000 || at > window.to * 1000)) continue;
    const id = profile.samples[i];
    selfMs.set(id, (selfMs.get(id) ?? 0) + delta / 1000);
  }
  const parentOf = new Map();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parentOf.set(child, node.id);
  const located = new Map();
  const keyOf = (id) => {
    if (!located.has(id)) {
      const node = byId.get(id);
      const where = locate(node.callFrame, root);
      const name = where.name || node.callFrame.functionName || "(anonymous)";
      located.set(id, `${name}\u0000${where.source}:${where.line}`);
    }
    return located.get(id);
  };
  const frames = new Map();
  const areas = new Map();
  const callerPaths = new Map();
  let total = 0;
  let idle = 0;
  for (const [id, ms] of selfMs) {
    const node = byId.get(id);
    const name = node.callFrame.functionName || "(anonymous)";
    if (name === "(idle)") {
      idle += ms;
      continue;
    }
    total += ms;
    const where = locate(node.callFrame, root);
    const key = keyOf(id);
    frames.set(key, (frames.get(key) ?? 0) + ms);
    // The three nearest distinct callers, to tell who pays for a native or shared frame.
    const path3 = [];
    for (let p = parentOf.get(id); p !== undefined && path3.length < 3; p = parentOf.get(p)) {
      const k = keyOf(p);
      if (k !== key && k !== path3.at(-1)) path3.push(k);
    }
    let paths = callerPaths.get(key);
    if (!paths) callerPaths.set(key, (paths = new Map()));
    const pathKey = path3.map((k) => k.replace("\u0000", " ")).join(" ← ");
    paths.set(pathKey, (paths.get(pathKey) ?? 0) + ms);
    const area = areaOf(where.source, name);
    areas.set(area, (areas.get(area) ?? 0) + ms);
  }
  const rows = [...frames.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([key, ms]) => {
      const [name, location] = key.split("\u0000");
      const callers = [...(callerPaths.get(key) ?? new Map()).entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 2)
        .map(([via, callerMs]) => ({ via, share: callerMs / ms }));
      return { name: name || "(anonymous)", location, ms, share: ms / total, callers };
    });
  const areaRows = [...areas.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([area, ms]) => ({ area, ms, share: ms / total }));
  return {
    file,
    window,
    profileStartMs: profile.startTime / 1000,
    busyMs: total,
    idleMs: idle,
    top: rows,
    areas: areaRows,
  };
}
