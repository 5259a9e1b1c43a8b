import { cpuMs } from "./lib/procstat.mjs";
import { Load } from "./load/load.mjs";
import { launch } from "./servers/launch.mjs";
const kind = process.argv[2] ?? "app-node";
const n = Number(process.argv[3] ?? 1000);
const prof = process.argv[4];
const server = await launch(kind, { label: `herd-${kind}`, cpuProfDir: prof });
const load = await Load.start({ subscriberProcs: 2, label: "herd" });
try {
  await load.publish("init", { target: server.publishTarget("warmup") });
  const cpuBefore = cpuMs(server.pid);
  const connect = await load.connect(server.subscribeTarget("lobby"), n, {
    concurrency: 64,
    limitMs: 150000,
  });
  const settle = await load.waitQuiet(server.pid, { limitMs: 150000 });
  const stats = await load.stats({ histogram: false });
  console.log(
    kind,
    n,
    "open",
    stats.open,
    "connect",
    connect.ms,
    "settle",
    settle.ms,
    "frames",
    stats.lines,
    "cpu",
    cpuMs(server.pid) - cpuBefore,
  );
} finally {
  await load.stop();
  await server.stop();
}
