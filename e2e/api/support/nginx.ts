import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { findFreePort, projectRoot } from "./next-server";

/** Debian's nginx (`apt-get install nginx`; .ci/run installs it). */
export const nginxBinary = ["/usr/sbin/nginx", "/usr/bin/nginx"].find((file) => existsSync(file));

/** `E2E_PROXY=nginx` puts every server the suites start behind its own nginx. */
export function isBehindNginx(): boolean {
  const proxy = process.env.E2E_PROXY ?? "";
  if (proxy !== "" && proxy !== "nginx")
    throw new Error(`E2E_PROXY must be "nginx" or unset, got ${JSON.stringify(proxy)}`);
  return proxy === "nginx";
}

/**
 * The `nginx-conf` config of compose.yaml, as nginx reads it: the block under `content: |`,
 * dedented, with Compose's `$$` escape turned back into `$`. Parsed by indentation, which is all
 * this one block needs.
 */
export function nginxConfFromCompose(composeYaml: string): string {
  const lines = composeYaml.split("\n");
  const configAt = lines.findIndex((line) => /^ {2}nginx-conf:\s*$/u.test(line));
  const contentAt = lines.findIndex((line, i) => i > configAt && /^\s+content: \|\s*$/u.test(line));
  if (configAt === -1 || contentAt === -1)
    throw new Error("compose.yaml has no configs.nginx-conf.content block");
  const body: string[] = [];
  let indent: number | undefined;
  for (const line of lines.slice(contentAt + 1)) {
    if (line.trim() === "") {
      body.push("");
      continue;
    }
    const lineIndent = line.length - line.trimStart().length;
    indent ??= lineIndent;
    if (lineIndent < indent) break;
    body.push(line.slice(indent));
  }
  return body.join("\n").trimEnd().replaceAll("$$", "$") + "\n";
}

/**
 * compose.yaml's nginx.conf with only what a test run must change: the upstream's servers become
 * `backends` (`host:port`), nginx listens on 127.0.0.1:`port`, and runs in the foreground with
 * one worker. Every proxy setting stays as shipped.
 */
export function nginxConfForTest(composeConf: string, backends: string[], port: number): string {
  const serverLine = /^(\s*)server app-[a-z]+:3000( [^;]*)?;$/mu;
  const match = serverLine.exec(composeConf);
  if (!match) throw new Error("compose.yaml's nginx.conf has no `server app-…:3000` upstream line");
  const [, indent = "", options = ""] = match;
  const servers = backends.map((backend) => `${indent}server ${backend}${options};`).join("\n");
  const conf = composeConf
    .replace(/^\s*server app-[a-z]+:3000( [^;]*)?;\n/gmu, "")
    .replace(/(upstream app \{\n)/u, `$1${servers}\n`)
    .replace(/^(\s*)listen 8080;$/mu, `$1listen 127.0.0.1:${port};`)
    .replace(/^worker_processes auto;$/mu, "worker_processes 1;");
  if (!conf.includes(`listen 127.0.0.1:${port};`))
    throw new Error("compose.yaml's nginx.conf has no `listen 8080;`");
  return conf;
}

export interface RunningNginx {
  baseUrl: string;
  port: number;
  output(): string;
  /** Graceful (waits up to 3 s for open requests) unless `fast`: connections are cut at once. */
  stop(options?: { fast?: boolean }): Promise<void>;
}

/**
 * Starts nginx in front of `backends` (`127.0.0.1:port` each, round-robin) on `port` (a free one
 * by default) and waits until it answers.
 */
export async function startNginx(backends: string[], port?: number): Promise<RunningNginx> {
  if (!nginxBinary)
    throw new Error(
      "nginx is not installed: `apt-get install -y nginx` (or unset E2E_PROXY to test without it)",
    );
  const composeYaml = readFileSync(path.join(projectRoot, "compose.yaml"), "utf8");
  const dir = await mkdtemp(path.join(tmpdir(), "se-nginx-"));
  // Workers run as `nobody` when nginx starts as root; they write buffered bodies under dir.
  await chmod(dir, 0o755);
  const listenPort = port ?? (await findFreePort());
  const confFile = path.join(dir, "nginx.conf");
  await writeFile(
    confFile,
    nginxConfForTest(nginxConfFromCompose(composeYaml), backends, listenPort),
  );
  const args = ["-e", path.join(dir, "error.log"), "-p", dir, "-c", confFile];
  const check = spawnSync(nginxBinary, [...args, "-t", "-g", globalDirectives(dir)], {
    encoding: "utf8",
  });
  if (check.status !== 0) throw new Error(`nginx -t failed:\n${check.stderr}`);

  const child: ChildProcess = spawn(nginxBinary, [...args, "-g", globalDirectives(dir)], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const baseUrl = `http://127.0.0.1:${listenPort}`;
  const stop = async ({ fast = false } = {}) => {
    if (child.exitCode === null && child.signalCode === null)
      child.kill(fast ? "SIGTERM" : "SIGQUIT");
    const timer = setTimeout(() => child.kill("SIGKILL"), 3_000);
    await exited;
    clearTimeout(timer);
    await rm(dir, { recursive: true, force: true });
  };
  process.once("exit", () => child.kill("SIGKILL"));
  await waitForNginx(
    baseUrl,
    () => child.exitCode !== null,
    () => output,
  ).catch(async (error) => {
    await stop();
    throw error;
  });
  return { baseUrl, port: listenPort, output: () => output, stop };
}

function globalDirectives(dir: string): string {
  return `daemon off; pid ${path.join(dir, "nginx.pid")};`;
}

async function waitForNginx(
  baseUrl: string,
  hasExited: () => boolean,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (hasExited()) throw new Error(`nginx exited:\n${output()}`);
    try {
      const response = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`nginx did not answer within 10 s:\n${output()}`);
}
