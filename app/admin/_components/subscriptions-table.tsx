"use client";

import type { SubscriptionRow } from "@/app/admin/_server/admin-overview";
import { ConfirmButton } from "./confirm-button";
import { formatAgo } from "./format";
import { EmptyRow, Panel, Table } from "./panel";

/**
 * The newest subscriptions in the cluster. Rows carry an opaque handle, never the subscription
 * id: the id would let whoever reads the screen act as that subscriber.
 */
export function SubscriptionsTable({
  rows,
  total,
  now,
  onUnregister,
  pendingHandle,
}: {
  rows: SubscriptionRow[];
  total: number;
  now: number;
  onUnregister: (row: SubscriptionRow) => void;
  pendingHandle: string | null;
}) {
  return (
    <Panel title="Newest subscriptions" aside={`${rows.length} of ${total}`}>
      <Table head={["User", "Channels", "Connected since", "Last pulse", ""]}>
        {rows.length === 0 && <EmptyRow columns={5}>Nobody is connected</EmptyRow>}
        {rows.map((row) => (
          <tr
            key={row.handle}
            data-testid="subscription-row"
            data-user={row.displayName}
            data-handle={row.handle}
          >
            <td className="px-4 py-2 whitespace-nowrap">
              <span className="font-medium">{row.displayName}</span>
              {!row.isAuthenticated && (
                <span className="ml-1.5 rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-500">
                  guest
                </span>
              )}
            </td>
            <td
              className="max-w-64 truncate px-4 py-2 text-slate-600"
              title={row.channels.join(", ")}
            >
              {row.channels.join(", ")}
            </td>
            <td className="px-4 py-2 whitespace-nowrap">{formatAgo(now - row.createdAt)}</td>
            <td className="px-4 py-2 whitespace-nowrap text-slate-500">
              {formatAgo(now - row.lastPulseAt)}
            </td>
            <td className="px-4 py-2 text-right">
              <ConfirmButton
                label="Unregister"
                question={`Disconnect ${row.displayName}?`}
                confirmLabel="Unregister"
                disabled={pendingHandle === row.handle}
                onConfirm={() => onUnregister(row)}
              />
            </td>
          </tr>
        ))}
      </Table>
    </Panel>
  );
}
