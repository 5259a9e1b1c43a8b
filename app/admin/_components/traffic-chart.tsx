"use client";

import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { TrafficSample } from "@/lib/admin/traffic-history";
import { formatClock, formatRate } from "./format";

const TEN_MINUTES_MS = 10 * 60_000;
const MIN_SPAN_MS = 60_000;

/**
 * From the first point (or ten minutes back, whichever is later) to now: a server that started a
 * minute ago shows its minute across the chart instead of a sliver at the right edge.
 */
function timeDomain(history: TrafficSample[], now: number): [number, number] {
  const first = history[0]?.at ?? now;
  return [Math.min(now - MIN_SPAN_MS, Math.max(first, now - TEN_MINUTES_MS)), now];
}

/**
 * Messages/s (left axis) and open streams (right axis) over the last ten minutes. Animation is
 * off: a point arrives every two seconds and a chart that re-animates each time never settles.
 */
export default function TrafficChart({ history, now }: { history: TrafficSample[]; now: number }) {
  const domain = timeDomain(history, now);
  // Minutes are enough across ten minutes; within a few, ticks would all read the same minute.
  const tickLength = domain[1] - domain[0] > 5 * 60_000 ? 5 : 8;
  // Evenly spaced, whole seconds: recharts would otherwise pick ticks among the data points.
  const ticks = Array.from(
    { length: 6 },
    (_, i) => Math.round((domain[0] + (i * (domain[1] - domain[0])) / 5) / 1000) * 1000,
  );
  return (
    <div className="h-64 w-full" data-testid="traffic-chart" data-points={history.length}>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={history} margin={{ top: 8, right: 8, bottom: 0, left: -8 }}>
          <CartesianGrid stroke="#e2e8f0" strokeDasharray="3 3" />
          <XAxis
            dataKey="at"
            type="number"
            scale="time"
            domain={domain}
            ticks={ticks}
            allowDataOverflow
            tickFormatter={(at: number) => formatClock(at).slice(0, tickLength)}
            tick={{ fontSize: 12, fill: "#64748b" }}
            minTickGap={24}
          />
          <YAxis
            yAxisId="rate"
            allowDecimals={false}
            tick={{ fontSize: 12, fill: "#64748b" }}
            width={48}
          />
          <YAxis
            yAxisId="streams"
            orientation="right"
            allowDecimals={false}
            tick={{ fontSize: 12, fill: "#64748b" }}
            width={40}
          />
          <Tooltip
            labelFormatter={(at) => formatClock(Number(at))}
            formatter={(value, name) =>
              name === "Messages/s" ? formatRate(Number(value)) : String(value)
            }
          />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Line
            yAxisId="rate"
            name="Messages/s"
            dataKey="messagesPerSecond"
            stroke="#4f46e5"
            strokeWidth={2}
            dot={false}
            isAnimationActive={false}
          />
          <Line
            yAxisId="streams"
            name="Open streams"
            dataKey="openStreams"
            type="stepAfter"
            stroke="#10b981"
            strokeWidth={2}
            dot={false}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
