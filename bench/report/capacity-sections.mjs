// @ts-check
/**
 * The report's sections on capacity: the providers' own throughput, idle connections per
 * instance (and what a heartbeat costs), and memory under churn.
 */
import { fmt } from "../lib/stats.mjs";
import { serverNames } from "../servers/launch.mjs";
import { kb, mb, ms, pct, table } from "./table.mjs";

export function providerSection(results, push) {
  const p = results.provider;
  if (!p) return;
  if (p.error) return push("## 5. Provider throughput (in-process)", `failed: ${p.error}`);
  const sample = Object.values(p)
    .flatMap((byInstances) => Object.values(byInstances))
    .find((r) => r && r.messages);
  push(
    "## 5. Provider throughput (in-process, no HTTP)",
    `\`notifyChannel\` straight on the provider (bench/scenarios/provider.mjs): ${fmt(sample?.messages ?? NaN)} messages per run from ` +
      `${sample?.concurrency ?? "–"} concurrent loops per instance, each instance its own process with one subscriber; ` +
      "two instances publish at once (half each) and each subscriber must be sent all of them. " +
      "msg/s = messages ÷ time until the slowest instance's last publish committed (median of the runs). " +
      "Lost = messages a subscriber was never sent; gaps = ids missing between its first and last; out of order = ids not above the previous one. " +
      "Batch and commit: the group commit's batches (messages per transaction or script, and its round trip).",
  );
  const rows = [];
  for (const [provider, byInstances] of Object.entries(p)) {
    if (byInstances.skipped || byInstances.error) {
      rows.push([
        provider,
        byInstances.skipped ? `skipped: ${byInstances.skipped}` : `failed: ${byInstances.error}`,
      ]);
      continue;
    }
    for (const [instances, r] of Object.entries(byInstances))
      rows.push(
        r.error
          ? [provider, instances, `failed: ${r.error}`]
          : [
              provider,
              instances,
              fmt(r.msgPerSec),
              `${ms(r.publishP50, 1)} / ${ms(r.publishP99, 1)}`,
              r.meanBatch.toFixed(1),
              `${ms(r.commitP50, 2)} / ${ms(r.commitP99, 2)}`,
              fmt(r.lost),
              fmt(r.gaps),
              fmt(r.duplicates),
              fmt(r.outOfOrder),
              fmt(r.failed),
            ],
      );
  }
  push(
    table(
      [
        "Provider",
        "instances",
        "msg/s",
        "publish p50 / p99",
        "mean batch",
        "commit p50 / p99",
        "lost",
        "gaps",
        "duplicates",
        "out of order",
        "failed",
      ],
      rows,
    ),
  );
}
export function connectionsSection(results, push) {
  const c = results.connections;
  if (!c) return;
  const title = "## 3. Connections: idle subscribers on one instance";
  if (typeof c.error === "string") return push(title, `failed: ${c.error}`);
  push(
    title,
    "Subscribers opened 64 at a time from two processes, each on its own channel (so no onJoin fan-out), raised in steps. " +
      "Per connection = (RSS − RSS before the first step) / open connections. Set-up rate = streams that received their first frame per second.",
  );
  const kinds = ["app", "app-node", "bare"];
  const rows = [];
  for (const kind of kinds) {
    const r = c[kind];
    if (!r) continue;
    if (r.error) {
      rows.push([serverNames[kind], `failed: ${r.error}`]);
      continue;
    }
    for (const s of r.steps)
      rows.push([
        serverNames[kind],
        `${fmt(s.open)} / ${fmt(s.target)}`,
        fmt(s.setupPerSec),
        s.cpuMsPerConnect.toFixed(2),
        mb(s.rss),
        kb(s.rssPerConnection),
        s.failed ? `${s.failed} ${JSON.stringify(s.errors)}` : "0",
      ]);
  }
  push(
    table(
      ["Server", "open / target", "streams/s", "CPU ms/stream", "RSS", "per connection", "failed"],
      rows,
    ),
  );
  const costs = kinds.filter((kind) => c[kind]?.heartbeat || c[kind]?.floor);
  if (costs.length)
    push(
      "What one request costs the server, with the subscribers above still open (8 in flight, keep-alive; the median of three rounds, heartbeats and floor taking turns): " +
        "`POST /event-heartbeat?id=…`, next to each server's floor — an empty request of the same shape: " +
        "`POST /bench/empty?id=…` (an App Router route answering 204: Next's own pipeline, in both of our modes, " +
        "the query included, which Next parses for any route; results from before 2026-11-30 had no query, and " +
        "older ones used GET), a 404 on bare node:http. " +
        "Clients pulse every 10 s by default, so one core keeps 10 s ÷ (CPU per heartbeat) subscribers alive " +
        "through heartbeats alone (the runs above use a 1 h idle timeout so that idle bench subscribers need none).",
      table(
        [
          "Server",
          "heartbeats/s",
          "CPU ms/heartbeat",
          "subscribers per core at 10 s",
          "empty requests/s",
          "CPU ms/empty request",
        ],
        costs.map((kind) => {
          const { heartbeat: hb, floor } = c[kind];
          return [
            serverNames[kind],
            hb ? fmt(hb.perSec) : "–",
            hb ? hb.cpuMsPerHeartbeat.toFixed(2) : "–",
            hb ? `**${fmt(hb.subscribersPerCoreAt10s)}**` : "–",
            floor ? fmt(floor.perSec) : "–",
            floor ? floor.cpuMsPerRequest.toFixed(2) : "–",
          ];
        }),
      ),
    );
  if (Array.isArray(c.sharedChannel)) herdTable(c.sharedChannel, push);
}

/**
 * The reconnect herd: our app against the time bare node:http takes to accept as many streams
 * (the target: within about 3×). Rows from before the herd ran on several servers have no kind.
 */
function herdTable(rows, push) {
  const ok = rows.filter((r) => !r.error);
  const quietSeconds = (r) => r.connectSeconds + r.settleSeconds;
  const bareAt = (n) => ok.find((r) => r.kind === "bare" && r.n === n);
  const ours = ok.filter((r) => r.kind !== "bare");
  push(
    `**The reconnect herd: all in one channel.** ServiceStack semantics send every member an \`onJoin\` for each newcomer, N²/2 frames of about ${fmt(averageFrameBytes(ours))} bytes each (the meta, with the avatar as a short URL). Presence frames wait up to \`presenceFlushMs\` (100 ms) to share one write per member. bare node:http only accepts the streams. "Until quiet" ends after 1 s without server CPU.`,
    table(
      [
        "Server",
        "N",
        "open",
        "connect",
        "until quiet",
        "× bare",
        "frames received",
        "bytes received",
        "server CPU",
      ],
      ok.map((r) => {
        const bare = bareAt(r.n);
        return [
          serverNames[r.kind ?? "app"],
          fmt(r.n),
          fmt(r.open),
          `${r.connectSeconds.toFixed(1)} s`,
          `${quietSeconds(r).toFixed(1)} s${r.settled ? "" : " (limit)"}`,
          r.kind === "bare" || !bare
            ? "–"
            : `**${(quietSeconds(r) / quietSeconds(bare)).toFixed(1)}×**`,
          fmt(r.framesReceived),
          mb(r.bytesReceived),
          `${(r.serverCpuMs / 1000).toFixed(1)} s`,
        ];
      }),
    ),
  );
  for (const r of rows.filter((row) => row.error))
    push(`${serverNames[r.kind]} at N = ${fmt(r.n)} failed: ${r.error}`);
}

export function soakSection(results, push) {
  const s = results.soak;
  if (!s) return;
  if (s.error) return push("## Soak", `failed: ${s.error}`);
  // V8 grows the heap for tens of seconds, then a major GC drops RSS: compare the RSS right after
  // each drop (a fall of more than 10 % between samples). One drop or none: too short to tell.
  const afterDrops = s.samples.filter(
    (p, i) => i > 0 && p.rss < 0.9 * s.samples[i - 1].rss && p.t >= s.durationMs / 4000,
  );
  const first = afterDrops[0];
  const last = afterDrops.at(-1);
  const verdict =
    afterDrops.length < 2
      ? `**inconclusive**: only ${afterDrops.length} garbage-collection drop(s) in ${(s.durationMs / 1000).toFixed(0)} s; run longer (\`BENCH_SOAK_MS=600000\`)`
      : last.rss - first.rss < 0.05 * first.rss + 5 * 2 ** 20
        ? `**flat**: after each GC drop RSS returns to ${mb(first.rss)} (${first.t.toFixed(0)} s) … ${mb(last.rss)} (${last.t.toFixed(0)} s)`
        : `**growing**: after each GC drop RSS returns higher, ${mb(first.rss)} (${first.t.toFixed(0)} s) → ${mb(last.rss)} (${last.t.toFixed(0)} s)`;
  push(
    "## Soak: churn and steady publishing",
    `${(s.durationMs / 1000).toFixed(0)} s on our app: ${s.steady} steady subscribers receiving ${fmt(s.published)} messages (lost ${fmt(s.lost)}), ` +
      `while ${s.churnOpen} others were replaced one every 50 ms on a shared channel (${fmt(s.churned)} connects, ${fmt(s.churnFailed)} failed). ` +
      `Server CPU ${pct(s.serverCpuShare)} of a core.`,
    `RSS max ${mb(s.rssMax)}, at the end ${mb(s.rssLast)}, 3 s after churn stopped ${mb(s.rssAfterChurnStopped)}. Verdict: ${verdict}.`,
    "RSS samples (s → MB): " +
      s.samples.map((p) => `${p.t.toFixed(0)}→${(p.rss / 2 ** 20).toFixed(0)}`).join(", "),
  );
}
/** Bytes per presence frame over the shared-channel runs (all bytes ÷ all frames). */
function averageFrameBytes(runs) {
  const frames = runs.reduce((sum, r) => sum + r.framesReceived, 0);
  const bytes = runs.reduce((sum, r) => sum + r.bytesReceived, 0);
  return frames > 0 ? Math.round(bytes / frames) : 0;
}
