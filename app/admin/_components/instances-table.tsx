import type { InstanceRow } from "@/lib/admin/cluster-view";
import { formatAgo, formatDuration } from "./format";
import { EmptyRow, Panel, Table } from "./panel";

/** Every instance that reports: how long it has run, its streams, its last report. */
export function InstancesTable({ instances, now }: { instances: InstanceRow[]; now: number }) {
  return (
    <Panel title="Instances">
      <Table head={["Instance", "Uptime", "Subscriptions", "Last heartbeat"]}>
        {instances.length === 0 && <EmptyRow columns={4}>No instance has reported yet</EmptyRow>}
        {instances.map((row) => (
          <tr key={row.instanceId} data-testid="instance-row">
            <td className="max-w-48 truncate px-4 py-2 font-mono text-xs" title={row.instanceId}>
              {row.instanceId}
            </td>
            <td className="px-4 py-2 whitespace-nowrap">{formatDuration(now - row.startedAt)}</td>
            <td className="px-4 py-2 tabular-nums">{row.subscriptions}</td>
            <td className="px-4 py-2 whitespace-nowrap text-slate-500">
              {formatAgo(now - row.lastReportAt)}
            </td>
          </tr>
        ))}
      </Table>
    </Panel>
  );
}
