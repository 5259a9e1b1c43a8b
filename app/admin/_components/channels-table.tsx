import type { ChannelRow } from "@/lib/admin/cluster-view";
import { formatRate } from "./format";
import { cell, EmptyRow, Panel, Table } from "./panel";

/** The busiest channels shown; the rest are counted in the totals. */
const SHOWN = 12;

export function ChannelsTable({ channels }: { channels: ChannelRow[] }) {
  return (
    <Panel
      title="Channels"
      aside={channels.length > SHOWN ? `busiest ${SHOWN} of ${channels.length}` : undefined}
    >
      <Table head={["Channel", "Members", "Messages/s"]}>
        {channels.length === 0 && <EmptyRow columns={3}>No channel has members</EmptyRow>}
        {channels.slice(0, SHOWN).map((row) => (
          <tr key={row.name} data-testid="channel-row">
            <td className={`max-w-36 truncate sm:max-w-56 ${cell} font-medium`} title={row.name}>
              {row.name}
            </td>
            <td className={`${cell} tabular-nums`}>{row.members}</td>
            <td className={`${cell} tabular-nums`}>{formatRate(row.messagesPerSecond)}</td>
          </tr>
        ))}
      </Table>
    </Panel>
  );
}
