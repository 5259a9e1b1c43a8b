import type { ClusterTotals } from "@/lib/admin/cluster-view";
import { formatRate } from "./format";

const cards: { key: keyof ClusterTotals; label: string; hint: string }[] = [
  { key: "subscriptions", label: "Subscriptions", hint: "open event streams" },
  { key: "channels", label: "Channels", hint: "with at least one member" },
  { key: "messagesPerSecond", label: "Messages/s", hint: "over the last 5 s" },
  { key: "instances", label: "Instances", hint: "reporting now" },
];

/** The four numbers an operator looks at first, for the whole cluster. */
export function Totals({
  totals,
  channelsAtLeast = false,
}: {
  totals: ClusterTotals;
  /** The channel count is a lower bound (an instance has more channels than it reports). */
  channelsAtLeast?: boolean;
}) {
  return (
    <dl className="grid grid-cols-2 gap-3 lg:grid-cols-4">
      {cards.map(({ key, label, hint }) => (
        <div
          key={key}
          className="rounded-2xl border border-slate-200 bg-white p-4 shadow-sm"
          data-testid={`total-${key}`}
        >
          <dt className="text-sm font-medium text-slate-500">{label}</dt>
          <dd
            className="mt-1 text-3xl font-semibold text-slate-900 tabular-nums"
            aria-label={label}
            data-value={totals[key]}
          >
            {key === "messagesPerSecond" ? formatRate(totals[key]) : totals[key]}
            {key === "channels" && channelsAtLeast && <span className="sr-only"> or more</span>}
          </dd>
          {/* A second description of the same term: a <p> may not stand inside a <dl>'s group. */}
          <dd className="mt-0.5 text-xs text-slate-500">
            {key === "channels" && channelsAtLeast ? "at least: the busiest are named below" : hint}
          </dd>
        </div>
      ))}
    </dl>
  );
}
