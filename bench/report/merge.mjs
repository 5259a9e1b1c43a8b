// @ts-check
/**
 * BENCH_MERGE: an earlier run's results with this run's scenarios and servers merged over them,
 * remembering which run every row came from (`provenance`), so that a few rows (say the Redis
 * ones) can be added to a full report without running everything again.
 */
import { provenanceNote, runDate, settingsNote } from "./merge-notes.mjs";

const SERVER_ORDER = [
  "app",
  "app-node",
  "app-pg",
  "app-node-pg",
  "app-redis",
  "app-node-redis",
  "bare",
  "better-sse",
  "socketio",
];
const SCENARIOS = [
  "fanout",
  "cross",
  "defaults",
  "payload",
  "provider",
  "connections",
  "soak",
  "profile",
];
/** Scenarios replaced as a whole; the others are merged row by row. */
const WHOLE = new Set(["soak"]);
const serverOrder = (kind) => {
  const i = SERVER_ORDER.indexOf(kind);
  return i < 0 ? SERVER_ORDER.length : i;
};
const fanoutKey = (row) => `${row.kind}@${row.n}`;

function isWhole(scenario, value) {
  return WHOLE.has(scenario) || (!Array.isArray(value) && value?.error !== undefined);
}

/** The row keys of one scenario's value: fan-out `kind@n`, objects their keys, else `*`. */
function rowKeys(scenario, value) {
  if (value === undefined) return [];
  if (isWhole(scenario, value)) return ["*"];
  if (Array.isArray(value)) return value.map(fanoutKey);
  return Object.keys(value);
}

/** Provenance of a results object: its own, or every row from its run. */
function provenanceOf(results, file) {
  if (results.provenance) return results.provenance;
  const rows = {};
  for (const scenario of SCENARIOS) {
    const keys = rowKeys(scenario, results[scenario]);
    if (keys.length) rows[scenario] = Object.fromEntries(keys.map((k) => [k, results.startedAt]));
  }
  return {
    runs: {
      [results.startedAt]: {
        file,
        quick: Boolean(results.config?.quick),
        notes: results.notes ?? [],
        foreignLoad: results.foreignLoad ?? {},
        config: results.config,
        buildId: results.machine?.buildId,
        totalSeconds: results.totalSeconds ?? 0,
      },
    },
    rows,
  };
}

function mergeScenario(scenario, base, current) {
  if (current === undefined) return base;
  if (base === undefined || isWhole(scenario, base) || isWhole(scenario, current)) return current;
  if (Array.isArray(current)) {
    const replaced = new Set(current.map(fanoutKey));
    return [...base.filter((row) => !replaced.has(fanoutKey(row))), ...current].sort(
      (a, b) => a.n - b.n || serverOrder(a.kind) - serverOrder(b.kind),
    );
  }
  const merged = { ...base, ...current };
  // The herd's rows come from every server's run: a run of some servers replaces only theirs.
  if (scenario === "connections" && Array.isArray(base.sharedChannel))
    merged.sharedChannel = mergeScenario("fanout", base.sharedChannel, current.sharedChannel);
  if (scenario === "cross" || scenario === "payload")
    return Object.fromEntries(
      Object.entries(merged).sort(([a], [b]) => serverOrder(a) - serverOrder(b)),
    );
  return merged;
}

/**
 * `base`: the earlier results (a run's or a merged file); `current`: this run's. Returns results
 * shaped like one run's, with `provenance`, `notes` (provenance first) and `merged: true`.
 */
export function mergeResults(base, current, baseFile, currentFile) {
  const baseProvenance = provenanceOf(base, baseFile);
  const currentProvenance = provenanceOf(current, currentFile);
  const provenance = {
    runs: { ...baseProvenance.runs, ...currentProvenance.runs },
    rows: {},
  };
  const merged = {};
  for (const scenario of SCENARIOS) {
    const value = mergeScenario(scenario, base[scenario], current[scenario]);
    if (value === undefined) continue;
    merged[scenario] = value;
    const rows = {};
    const fromCurrent = currentProvenance.rows[scenario] ?? {};
    const whole = current[scenario] !== undefined && value === current[scenario];
    if (!whole)
      for (const [key, startedAt] of Object.entries(baseProvenance.rows[scenario] ?? {}))
        if (!(key in fromCurrent)) rows[key] = startedAt;
    Object.assign(rows, fromCurrent);
    provenance.rows[scenario] = rows;
  }

  const runsUsed = [...new Set(Object.values(provenance.rows).flatMap(Object.values))].sort();
  for (const startedAt of Object.keys(provenance.runs))
    if (!runsUsed.includes(startedAt)) delete provenance.runs[startedAt];
  // The run that contributed the most rows sets the headers (config) and the machine table.
  const rowCount = (startedAt) =>
    Object.values(provenance.rows)
      .flatMap(Object.values)
      .filter((s) => s === startedAt).length;
  const main = [...runsUsed].sort((a, b) => rowCount(b) - rowCount(a))[0] ?? current.startedAt;
  const mainResults = main === current.startedAt ? current : base;

  const notes = [provenanceNote(provenance, current.startedAt)];
  notes.push(...settingsNote(provenance, runsUsed, main));
  const buildIds = [...new Set(runsUsed.map((s) => provenance.runs[s]?.buildId).filter(Boolean))];
  if (buildIds.length > 1)
    notes.push(
      `The runs used different builds of the app: ${runsUsed.map((s) => `${provenance.runs[s]?.buildId} (run of ${runDate(s)})`).join(", ")}.`,
    );
  for (const key of ["cpu", "cores", "node", "kernel"])
    if (
      base.machine?.[key] !== undefined &&
      JSON.stringify(base.machine[key]) !== JSON.stringify(current.machine?.[key])
    )
      notes.push(
        `The runs differ in ${key}: ${JSON.stringify(base.machine[key])} vs ${JSON.stringify(current.machine?.[key])}.`,
      );
  for (const startedAt of runsUsed)
    for (const note of provenance.runs[startedAt]?.notes ?? [])
      notes.push(runsUsed.length > 1 ? `Run of ${runDate(startedAt)}: ${note}` : note);

  // Foreign load per scenario and run.
  const foreignLoad = {};
  for (const startedAt of runsUsed)
    for (const [scenario, cores] of Object.entries(provenance.runs[startedAt]?.foreignLoad ?? {}))
      if (Object.values(provenance.rows[scenario] ?? {}).includes(startedAt))
        foreignLoad[`${scenario} (${runDate(startedAt)})`] = cores;

  return {
    ...merged,
    merged: true,
    startedAt: current.startedAt,
    machine: {
      ...mainResults.machine,
      // Packages only one run recorded (ioredis) are listed too.
      packages: {
        ...current.machine?.packages,
        ...base.machine?.packages,
        ...mainResults.machine?.packages,
      },
      // The report is written now; the machine table shows the run with most rows.
      date: current.machine.date,
      postgres: mainResults.machine?.postgres ?? current.machine?.postgres,
      redis: current.machine?.redis ?? base.machine?.redis ?? null,
      buildId: buildIds.length ? buildIds.join(" / ") : mainResults.machine?.buildId,
    },
    config: {
      ...mainResults.config,
      quick: runsUsed.some((s) => provenance.runs[s]?.quick),
    },
    providerReady: Boolean(base.providerReady || current.providerReady),
    totalSeconds: runsUsed.reduce((sum, s) => sum + (provenance.runs[s]?.totalSeconds ?? 0), 0),
    buildIds,
    foreignLoad,
    provenance,
    notes,
  };
}
