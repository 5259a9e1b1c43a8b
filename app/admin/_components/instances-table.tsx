import type { InstanceRow } from "@/lib/admin/cluster-view";
import { formatAgo, formatDuration } from "./format";
import { cell, EmptyRow, Panel, Table } from "./panel";

/** Every instance that reports: how long it has run, its streams, its last report. */
export function InstancesTable({ instances, now }: { instances: InstanceRow[]; now: number }) {
  return (
    <Panel title="Instances">
      <Table head={["Instance", "Uptime", "Subscriptions", "Last heartbeat"]}>
        {instances.length === 0 && <EmptyRow columns={4}>No instance has reported yet</EmptyRow>}
        {instances.map((row) => (
          <tr key={row.instanceId} data-testid="instance-row">
            <td className={`max-w-48 truncate ${cell} font-mono text-xs`} title={row.instanceId}>
              {row.instanceId}
            </td>
            <td className={`${cell} whitespace-nowrap`}>{formatDuration(now - row.startedAt)}</td>
            <td className={`${cell} tabular-nums`}>{row.subscriptions}</td>
            <td className={`${cell} whitespace-nowrap text-slate-500`}>
              {formatAgo(now - row.lastReportAt)}
            </td>
          </tr>
        ))}
      </Table>
    </Panel>
  );
}
