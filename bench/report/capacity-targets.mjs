// @ts-check
/**
 * Issue 10's capacity targets, evaluated against one run's results: the Node server (container
 * mode) against bare node:http, the route handlers against an empty route, fan-out and the herd.
 * Each row: { target, measured, met: true | false | null (not measured), by }.
 */
import { fmt, fmtRatio, ratio } from "../lib/stats.mjs";
import { serverNames } from "../servers/launch.mjs";

const NOT_MEASURED = (target, why = "not measured") => ({
  target,
  measured: why,
  met: null,
  by: "–",
});

/** met when value ≤ goal (`atMost`) or ≥ goal; `by` says how far from the goal, as a ratio. */
function compare(target, value, goal, { atMost = false, measured = fmtRatio(value) } = {}) {
  if (!Number.isFinite(value)) return NOT_MEASURED(target);
  const met = atMost ? value <= goal : value >= goal;
  const off = atMost ? value / goal : goal / value;
  return {
    target,
    measured,
    met,
    by: met ? `${((1 / off - 1) * 100).toFixed(0)} % to spare` : `${off.toFixed(2)}× off`,
  };
}

export function evaluateCapacityTargets(results) {
  const c = results.connections ?? {};
  const node = c["app-node"];
  const bare = c.bare;
  const rows = [];

  // Container mode: a heartbeat against bare node:http answering the same request (a POST).
  const nodeHeartbeat = node?.heartbeat?.cpuMsPerRequest;
  const bareRequest = bare?.floor?.cpuMsPerRequest;
  rows.push(
    compare(
      "Node server: a heartbeat costs ≤ 4× bare node:http's CPU for a POST",
      ratio(nodeHeartbeat, bareRequest),
      4,
      {
        atMost: true,
        measured: `${nodeHeartbeat?.toFixed(3)} vs ${bareRequest?.toFixed(3)} ms (${fmtRatio(ratio(nodeHeartbeat, bareRequest))})`,
      },
    ),
  );

  // Memory per idle stream at the largest step both held.
  const common = (node?.steps ?? []).filter((s) =>
    (bare?.steps ?? []).some((b) => b.target === s.target),
  );
  const step = common.at(-1);
  const bareStep = step && bare.steps.find((b) => b.target === step.target);
  const perStream = step?.rssPerConnection;
  const memoryRow = compare(
    `Node server: an idle stream costs ≤ 2.5× bare's memory and ≤ 30 KB${step ? ` (${fmt(step.target)} open)` : ""}`,
    ratio(perStream, bareStep?.rssPerConnection),
    2.5,
    {
      atMost: true,
      measured: `${(perStream / 1024).toFixed(1)} vs ${(bareStep?.rssPerConnection / 1024).toFixed(1)} KB`,
    },
  );
  if (memoryRow.met && perStream > 30 * 1024) memoryRow.met = false;
  rows.push(memoryRow);

  // The largest step opens the most streams (5,000 at the default steps): the least start-up noise.
  const nodeTop = node?.steps?.at(-1);
  const bareTop = bare?.steps?.at(-1);
  rows.push(
    compare("Node server: ≥ 3,000 streams opened per second", nodeTop?.setupPerSec, 3000, {
      measured: `${fmt(nodeTop?.setupPerSec)}/s up to ${fmt(nodeTop?.target)} open (bare ${fmt(bareTop?.setupPerSec)}/s)`,
    }),
  );

  // 10,000 subscribers pulsing every 10 s: 1,000 heartbeats a second, each nodeHeartbeat ms.
  const held = node?.steps?.at(-1)?.open ?? 0;
  const cores = Number.isFinite(nodeHeartbeat) ? nodeHeartbeat : NaN;
  const coresRow = compare(
    "Node server: 10,000 subscribers kept alive by heartbeats with ≤ 0.3 of a core",
    cores,
    0.3,
    { atMost: true, measured: `${cores.toFixed(2)} of a core, ${fmt(held)} held` },
  );
  if (coresRow.met && held < 10_000) coresRow.met = false;
  rows.push(coresRow);

  // Route-handler mode: a heartbeat against the empty App Router route.
  const app = c.app;
  rows.push(
    compare(
      "next start: a heartbeat costs ≤ 1.2× an empty route handler",
      ratio(app?.heartbeat?.cpuMsPerRequest, app?.floor?.cpuMsPerRequest),
      1.2,
      {
        atMost: true,
        measured: `${app?.heartbeat?.cpuMsPerRequest?.toFixed(2)} vs ${app?.floor?.cpuMsPerRequest?.toFixed(2)} ms (${fmtRatio(ratio(app?.heartbeat?.cpuMsPerRequest, app?.floor?.cpuMsPerRequest))})`,
      },
    ),
  );

  rows.push(...fanoutTargets(results), ...herdTargets(c.sharedChannel));
  return rows;
}

/** Fan-out at N = 1,000 and 5,000 in both modes: ≥ 0.9× bare, with every subscriber connected. */
function fanoutTargets(results) {
  const fanout = Array.isArray(results.fanout) ? results.fanout : [];
  const at = (kind, n) => fanout.find((r) => r.kind === kind && r.n === n);
  const rows = [];
  for (const n of [1000, 5000])
    for (const kind of ["app-node", "app"]) {
      const target = `Fan-out at N = ${fmt(n)} ≥ 0.9× bare, every subscriber connected: ${serverNames[kind]}`;
      const ours = at(kind, n);
      const bare = at("bare", n);
      if (!ours || !bare) {
        rows.push(NOT_MEASURED(target));
        continue;
      }
      const value = ratio(ours.median?.deliveriesPerSec, bare.median?.deliveriesPerSec);
      const row = compare(target, value, 0.9, {
        measured: `${fmtRatio(value)}, ${fmt(ours.connected ?? 0)} / ${fmt(n)} connected`,
      });
      if ((ours.connected ?? 0) < n) row.met = false;
      rows.push(row);
    }
  return rows;
}

/** The herd: quiet within 3× bare's time at 1,000; every one connected at 5,000. */
function herdTargets(herd) {
  const rows = Array.isArray(herd) ? herd.filter((r) => !r.error) : [];
  const quiet = (r) => r.connectSeconds + r.settleSeconds;
  const bare = rows.find((r) => r.kind === "bare" && r.n === 1000);
  const out = [];
  for (const kind of ["app-node", "app"]) {
    const target = `Herd of 1,000 with presence: quiet within 3× bare's time: ${serverNames[kind]}`;
    const ours = rows.find((r) => r.kind === kind && r.n === 1000);
    if (!ours || !bare) {
      out.push(NOT_MEASURED(target));
      continue;
    }
    const row = compare(target, quiet(ours) / quiet(bare), 3, {
      atMost: true,
      measured: `${quiet(ours).toFixed(1)} vs ${quiet(bare).toFixed(1)} s, ${fmt(ours.open)} open`,
    });
    if (ours.open < 1000) row.met = false;
    out.push(row);
  }
  const big = rows.find((r) => r.kind === "app-node" && r.n === 5000);
  const target = `Herd of 5,000 with presence: every one connects: ${serverNames["app-node"]}`;
  out.push(
    big
      ? {
          target,
          measured: `${fmt(big.open)} / 5,000 open, quiet after ${quiet(big).toFixed(1)} s`,
          met: big.open >= 5000 && big.settled,
          by: big.open >= 5000 ? "all" : `${fmt(5000 - big.open)} short`,
        }
      : NOT_MEASURED(target),
  );
  return out;
}
