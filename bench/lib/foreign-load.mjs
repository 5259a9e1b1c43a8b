// @ts-check
import { readdirSync, readFileSync } from "node:fs";
import { cpuMs } from "./procstat.mjs";

/**
 * CPU used by processes that are not this benchmark (other people's builds and tests on a shared
 * box), sampled once a second from /proc: a process is ours when this process is its ancestor.
 */
const last = new Map();
const samples = [];
let timer = null;

function parentOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return 0;
  }
}

function isOurs(pid, parents) {
  for (let p = pid, hops = 0; p > 1 && hops < 20; hops++) {
    if (p === process.pid) return true;
    p = parents.get(p) ?? parentOf(p);
  }
  return false;
}

function sample() {
  const now = Date.now();
  const pids = readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
  const parents = new Map(pids.map((pid) => [pid, parentOf(pid)]));
  let foreignMs = 0;
  for (const pid of pids) {
    const cpu = cpuMs(pid);
    if (!Number.isFinite(cpu)) continue;
    const before = last.get(pid);
    last.set(pid, cpu);
    if (before !== undefined && !isOurs(pid, parents)) foreignMs += cpu - before;
  }
  const previous = samples.at(-1);
  if (previous) samples.push({ at: now, cores: foreignMs / (now - previous.at) });
  else samples.push({ at: now, cores: 0 });
}

export function startForeignLoadSampler() {
  sample();
  timer = setInterval(sample, 1000);
  timer.unref();
}

export function stopForeignLoadSampler() {
  clearInterval(timer);
}

/** Average cores used by other processes between two Date.now() times. */
export function foreignCores(from, to = Date.now()) {
  const inWindow = samples.filter((s) => s.at > from && s.at <= to);
  if (inWindow.length === 0) return NaN;
  return inWindow.reduce((sum, s) => sum + s.cores, 0) / inWindow.length;
}

/** Waits up to `limitMs` for other processes to use less than `cores` (over 3 s). */
export async function waitForQuietBox({ cores = 0.3, limitMs = 30_000 } = {}) {
  const started = Date.now();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const recent = foreignCores(Date.now() - 3000);
    if (recent < cores) return { waitedMs: Date.now() - started, cores: recent };
    if (Date.now() - started > limitMs) return { waitedMs: Date.now() - started, cores: recent };
  }
}
