import { cpuMs } from "./lib/procstat.mjs";
import { Load } from "./load/load.mjs";
import { launch } from "./servers/launch.mjs";
const kind = process.argv[2] ?? "app-node";
const n = Number(process.argv[3] ?? 5000);
const prof = process.argv[4];
const server = await launch(kind, { label: `streams-${kind}`, cpuProfDir: prof });
const load = await Load.start({ subscriberProcs: 2, label: "streams" });
try {
  await load.publish("init", { target: server.publishTarget("warmup") });
  await load.connect(server.subscribeTarget("warmup"), 10, { concurrency: 10 });
  await load.closeAll();
  const cpuBefore = cpuMs(server.pid);
  const connect = await load.connect(server.subscribeTarget("idle{i}"), n, {
    concurrency: 64,
    limitMs: 150000,
  });
  console.log(
    kind,
    n,
    "connected",
    connect.connected,
    "streams/s",
    Math.round(connect.connected / (connect.ms / 1000)),
    "cpu ms/stream",
    ((cpuMs(server.pid) - cpuBefore) / n).toFixed(3),
  );
} finally {
  await load.stop();
  await server.stop();
}
