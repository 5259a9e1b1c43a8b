// @ts-check
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

function packageVersion(root, name) {
  try {
    return JSON.parse(readFileSync(path.join(root, "node_modules", name, "package.json"), "utf8"))
      .version;
  } catch {
    return "not installed";
  }
}

function cpuModel() {
  try {
    const info = readFileSync("/proc/cpuinfo", "utf8");
    return /model name\s*:\s*(.+)/.exec(info)?.[1]?.trim() ?? os.cpus()[0]?.model;
  } catch {
    return os.cpus()[0]?.model ?? "unknown";
  }
}

function kernel() {
  try {
    return execFileSync("uname", ["-sr"]).toString().trim();
  } catch {
    return os.release();
  }
}

/** What the numbers were measured on. */
export function describeMachine(root) {
  const packages = [
    "next",
    "react",
    "socket.io",
    "socket.io-client",
    "@socket.io/postgres-adapter",
    "better-sse",
    "pg",
    "ioredis",
    "eventsource",
  ];
  return {
    date: new Date().toISOString(),
    cpu: cpuModel(),
    cores: os.cpus().length,
    ramGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    kernel: kernel(),
    node: process.version,
    packages: Object.fromEntries(packages.map((name) => [name, packageVersion(root, name)])),
  };
}
