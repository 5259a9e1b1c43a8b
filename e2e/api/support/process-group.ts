import { spawn, type ChildProcess } from "node:child_process";

/** Children still running: killed with the test process if it exits without stopping them. */
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

export interface GroupChild {
  child: ChildProcess;
  /** Resolves with the exit code (null when a signal ended it). */
  exited: Promise<number | null>;
}

/**
 * Starts `node args…` in its own process group, so that ending it ends anything it spawned too,
 * with stdout and stderr piped for the caller to read.
 */
export function spawnGroup(
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): GroupChild {
  const child = spawn(process.execPath, args, {
    cwd,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  installExitHook();
  const exited = new Promise<number | null>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once("exit", (code) => resolve(code));
  });
  void exited.then(() => running.delete(child));
  return { child, exited };
}

export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Sends `signal` to the child's whole group (or to the child alone if that fails). */
export function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

/**
 * Sends `signal`, waits for the exit (SIGKILL after `graceMs`), then SIGKILLs the group, so that
 * nothing the child spawned outlives it.
 */
export async function endGroup(
  { child, exited }: GroupChild,
  signal: NodeJS.Signals,
  graceMs: number,
): Promise<void> {
  if (!hasExited(child)) signalGroup(child, signal);
  const timer = setTimeout(() => signalGroup(child, "SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
  signalGroup(child, "SIGKILL");
  running.delete(child);
}

/** If the test process exits without stopping its servers (a crash, Ctrl-C), they go with it. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const child of running) signalGroup(child, "SIGKILL");
  });
}
