// @ts-check
/** The notes a merged report (BENCH_MERGE) opens with: where its rows came from, and how the runs differ. */
import { fmt } from "../lib/stats.mjs";
import { serverNames } from "../servers/launch.mjs";

const SCENARIO_TITLES = {
  fanout: "fan-out",
  cross: "cross-instance",
  defaults: "default limits",
  payload: "payload sizes",
  provider: "provider throughput",
  connections: "connections",
  soak: "soak",
  profile: "CPU profiles",
};
/** Settings each scenario's header and numbers depend on: if runs differ in them, notes say so. */
const SETTINGS = {
  fanout: ["quick", "runs", "fanoutN", "fanoutDeliveries", "inFlight"],
  cross: ["quick", "runs", "crossSubscribers", "crossRates", "crossSeconds"],
  defaults: ["quick", "crossSubscribers", "crossSeconds"],
  payload: ["quick", "crossSubscribers"],
  provider: ["quick", "providerMessages", "providerConcurrency"],
  connections: ["quick", "connectionSteps"],
  soak: ["quick", "soakMs"],
  profile: ["quick", "fanoutDeliveries"],
};

export const runDate = (iso) => `${String(iso).slice(0, 16).replace("T", " ")} UTC`;

/** "our app (next start, Redis) at N = 100, 1,000" etc. for the rows of one scenario. */
function describeRows(scenario, keys) {
  if (keys.includes("*")) return "all";
  if (scenario === "fanout") {
    const byKind = new Map();
    for (const key of keys) {
      const at = key.lastIndexOf("@");
      const kind = key.slice(0, at);
      byKind.set(kind, [...(byKind.get(kind) ?? []), Number(key.slice(at + 1))]);
    }
    return [...byKind]
      .map(
        ([kind, ns]) => `${serverNames[kind] ?? kind} at N = ${ns.map((n) => fmt(n)).join(", ")}`,
      )
      .join("; ");
  }
  if (scenario === "cross" || scenario === "payload")
    return keys.map((kind) => serverNames[kind] ?? kind).join("; ");
  return keys.join(", ");
}

/** The first note of a merged report: which rows came from which run. */
export function provenanceNote(provenance, currentStartedAt) {
  const byRun = new Map();
  let total = 0;
  for (const [scenario, rows] of Object.entries(provenance.rows))
    for (const [key, startedAt] of Object.entries(rows)) {
      const scenarios = byRun.get(startedAt) ?? new Map();
      scenarios.set(scenario, [...(scenarios.get(scenario) ?? []), key]);
      byRun.set(startedAt, scenarios);
      total++;
    }
  const count = (scenarios) => [...scenarios.values()].reduce((s, keys) => s + keys.length, 0);
  // The run that contributed the most rows is "everything else"; the others are listed.
  const runs = [...byRun].sort(([, a], [, b]) => count(b) - count(a));
  const label = (startedAt) => {
    const file = provenance.runs[startedAt]?.file;
    const quick = provenance.runs[startedAt]?.quick ? ", BENCH_QUICK" : "";
    const self = startedAt === currentStartedAt ? "this run" : null;
    return `the run of ${runDate(startedAt)} (${[self, file].filter(Boolean).join(", ")}${quick})`;
  };
  if (runs.length <= 1)
    return `Merged report (BENCH_MERGE), but every row comes from ${runs.length ? label(runs[0][0]) : "no run"}.`;
  const listed = runs
    .slice(1)
    .map(
      ([startedAt, scenarios]) =>
        `from ${label(startedAt)}: ` +
        [...scenarios]
          .map(
            ([scenario, keys]) =>
              `${SCENARIO_TITLES[scenario] ?? scenario} — ${describeRows(scenario, keys)}`,
          )
          .join("; "),
    );
  return (
    `Merged report (BENCH_MERGE): the rows come from ${runs.length} runs (${total} rows in all). ` +
    `${listed.map((text) => text[0].toUpperCase() + text.slice(1)).join(". ")}. ` +
    `Everything else from ${label(runs[0][0])}.`
  );
}

/** A note for each run whose settings differ from the main run's in what its rows depend on. */
export function settingsNote(provenance, runsUsed, baseStartedAt) {
  const base = provenance.runs[baseStartedAt]?.config;
  if (!base) return [];
  const notes = [];
  for (const startedAt of runsUsed) {
    if (startedAt === baseStartedAt) continue;
    const other = provenance.runs[startedAt]?.config ?? {};
    const scenarios = Object.keys(provenance.rows).filter((scenario) =>
      Object.values(provenance.rows[scenario]).includes(startedAt),
    );
    const keys = [...new Set(scenarios.flatMap((scenario) => SETTINGS[scenario] ?? []))];
    const differ = keys
      .filter((key) => JSON.stringify(other[key]) !== JSON.stringify(base[key]))
      .map((key) => `${key} ${JSON.stringify(other[key])} (vs ${JSON.stringify(base[key])})`);
    if (differ.length)
      notes.push(
        `The run of ${runDate(startedAt)} used other settings: ${differ.join(", ")}. Section headers describe the run of ${runDate(baseStartedAt)}.`,
      );
  }
  return notes;
}
