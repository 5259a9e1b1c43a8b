// @ts-check
/** The report's CPU profile section: self time by area and by frame, per phase. */
import { fmt } from "../lib/stats.mjs";
import { pct, table } from "./table.mjs";

export function profileSection(results, push) {
  const p = results.profile;
  if (!p) return;
  if (typeof p.error === "string") return push("## CPU profiles of our app", `failed: ${p.error}`);
  push(
    "## CPU profiles of our app (`--cpu-prof`)",
    "Self time, frames mapped to source through the source maps of `.next` and of Next's compiled runtime; " +
      "samples split by phase (V8's sample clock is the same CLOCK_MONOTONIC the harness stamps phases with).",
  );
  const f = p.fanout;
  if (!f) {
    // not selected (BENCH_SERVERS without app)
  } else if (f.error || !f.phases) push(`Fan-out profile failed: ${f.error ?? "not run"}`);
  else {
    push(`Fan-out: N = ${fmt(f.n)} subscribers on one channel, memory provider; \`${f.file}\`.`);
    const titles = {
      connect: "Connect phase (N subscribers joining one channel: onJoin to every member)",
      publishOnly: "Publishing alone (`POST /channels/nobody/raw`, no recipients)",
      fanout: "Fan-out burst (the throughput run)",
    };
    for (const [name, phase] of Object.entries(f.phases)) {
      const extra =
        name === "publishOnly"
          ? ` — ${(phase.busyMs / phase.publishes).toFixed(2)} ms CPU per publish request`
          : name === "fanout"
            ? ` — ${((phase.busyMs * 1000) / phase.deliveries).toFixed(1)} µs CPU per delivery (publish requests included)`
            : "";
      profileTables(
        push,
        `### ${titles[name] ?? name}`,
        `${fmt(phase.busyMs)} ms busy${extra}.`,
        phase,
      );
    }
  }
  for (const c of [p.cross, p.crossRedis]) {
    if (!c) continue;
    const provider = c.provider ?? "Postgres";
    if (c.skipped) {
      push(`${provider} pair profile skipped: ${c.skipped}`);
      continue;
    }
    if (c.error) {
      push(`${provider} pair profile failed: ${c.error}`);
      continue;
    }
    for (const [side, phase] of Object.entries(c.sides)) {
      if (phase.error) {
        push(`${provider} pair, instance ${side}: ${phase.error}`);
        continue;
      }
      profileTables(
        push,
        `### ${provider} pair, instance ${side} (${side === "A" ? "receives the publishes" : "holds the subscribers"}), ${c.rate} msg/s`,
        `${fmt(phase.busyMs)} ms busy for ${fmt(phase.messages)} messages — ${(phase.busyMs / phase.messages).toFixed(2)} ms CPU per message; \`${phase.file}\`.`,
        phase,
      );
    }
  }
}
function profileTables(push, title, summary, phase) {
  push(
    title,
    summary,
    table(
      ["Area", "self ms", "share"],
      phase.areas.slice(0, 10).map((a) => [a.area, fmt(a.ms), pct(a.share)]),
    ),
    table(
      ["Self ms", "share", "frame", "where", "called from (share)"],
      phase.top
        .slice(0, 15)
        .map((t) => [
          fmt(t.ms),
          pct(t.share),
          `\`${t.name}\``,
          t.location,
          t.callers.map((c) => `${(c.share * 100).toFixed(0)} %: ${c.via}`).join("; "),
        ]),
    ),
  );
}
