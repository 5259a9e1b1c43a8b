// @ts-check
import { fork, spawn } from "node:child_process";
import { closeSync, createWriteStream, openSync } from "node:fs";

/**
 * Every child process the benchmark starts, so that all of them are stopped at the end, on an
 * error and on Ctrl+C. Children are only ever stopped by their own pid.
 */
const children = new Set();

function track(child, label) {
  child.label = label;
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}

/**
 * @typedef {object} ChildOptions
 * @property {NodeJS.ProcessEnv} [env] added to this process's environment
 * @property {string} [label] names the child in logs and errors
 * @property {string} [logFile] where its stdout and stderr go (forkWorker: else inherited)
 * @property {string} [cwd]
 */

/**
 * A Node script as a worker with an IPC channel (workers exit when the channel closes).
 * @param {string} script
 * @param {string[]} [args]
 * @param {ChildOptions} [options]
 */
export function forkWorker(script, args = [], { env, label = script, logFile } = {}) {
  const child = fork(script, args, {
    env: { ...process.env, ...env },
    stdio: ["ignore", logFile ? "pipe" : "inherit", logFile ? "pipe" : "inherit", "ipc"],
  });
  if (logFile) pipeToFile(child, logFile);
  return track(child, label);
}

/**
 * Any command, its output written straight to a log file (not through this process).
 * @param {string} command
 * @param {string[]} args
 * @param {ChildOptions & { logFile: string }} options
 */
export function spawnLogged(command, args, { env, label = command, logFile, cwd }) {
  const fd = openSync(logFile, "a");
  try {
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ["ignore", fd, fd],
    });
    return track(child, label);
  } finally {
    closeSync(fd);
  }
}

function pipeToFile(child, logFile) {
  if (!logFile) {
    child.stdout?.resume();
    child.stderr?.resume();
    return;
  }
  const out = createWriteStream(logFile, { flags: "a" });
  child.stdout?.pipe(out, { end: false });
  child.stderr?.pipe(out, { end: false });
  child.once("exit", () => setTimeout(() => out.end(), 50));
}

/**
 * SIGTERM, then SIGKILL after `graceMs`; resolves when the child has exited.
 * @returns {Promise<void>}
 */
export function stopChild(child, { signal = "SIGTERM", graceMs = 5000 } = {}) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}

export async function stopAll() {
  await Promise.all([...children].map((child) => stopChild(child, { graceMs: 3000 })));
}

/** Last resort (process exit): synchronous SIGKILL of whatever is left. */
function killLeftovers() {
  for (const child of children) {
    try {
      child.kill("SIGKILL");
    } catch {
      // already gone
    }
  }
}

let cleanup = async () => {};

/** Runs `fn` once on SIGINT/SIGTERM before stopping every child and exiting. */
export function onInterrupt(fn) {
  cleanup = fn;
}

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => {
    console.error(`\n[bench] ${signal}: stopping every child process`);
    Promise.resolve()
      .then(() => cleanup())
      .catch((error) => console.error(error))
      .finally(() => stopAll().finally(() => process.exit(130)));
  });
}
process.once("exit", killLeftovers);

export function liveChildren() {
  return [...children].map((child) => `${child.label} (pid ${child.pid})`);
}
