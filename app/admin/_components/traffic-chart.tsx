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

/**
 * Messages/s (left axis) and open streams (right axis) over the last ten minutes. Animation is
 * off: a point arrives every two seconds and a chart that re-animates each time never settles.
 */
export default function TrafficChart({ history, now }: { history: TrafficSample[]; now: number }) {
  return (
    <div className="h-64 w-full" data-testid="traffic-chart" data-points={history.length}>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={history} margin={{ top: 8, right: 8, bottom: 0, left: -8 }}>
          <CartesianGrid stroke="#e2e8f0" strokeDasharray="3 3" />
          <XAxis
            dataKey="at"
            type="number"
            scale="time"
            domain={[now - TEN_MINUTES_MS, now]}
            tickFormatter={(at: number) => formatClock(at).slice(0, 5)}
            tick={{ fontSize: 12, fill: "#64748b" }}
            minTickGap={40}
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
