"use client";

import type { SubscriptionRow } from "@/app/admin/_server/admin-overview";
import { ConfirmButton } from "./confirm-button";
import { formatAgo } from "./format";
import { cell, EmptyRow, Panel, Table } from "./panel";

/** A time cell on a phone: a small line of its own under the channels. */
const phoneDetail = "max-sm:col-start-1 max-sm:p-0 max-sm:text-xs max-sm:text-slate-500";

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
      <Table head={["User", "Channels", "Connected since", "Last pulse", ""]} stacked>
        {rows.length === 0 && <EmptyRow columns={5}>Nobody is connected</EmptyRow>}
        {rows.map((row) => (
          // On a phone each row is a card: who, their channels and times on the left, the
          // action on the right, so that nothing needs a sideways scroll.
          <tr
            key={row.handle}
            data-testid="subscription-row"
            data-user={row.displayName}
            data-handle={row.handle}
            className="max-sm:grid max-sm:grid-cols-[minmax(0,1fr)_auto] max-sm:items-center max-sm:gap-x-3 max-sm:px-3 max-sm:py-2"
          >
            <td className={`${cell} whitespace-nowrap max-sm:p-0`}>
              <span className="font-medium">{row.displayName}</span>
              {!row.isAuthenticated && (
                <span className="ml-1.5 rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-500">
                  guest
                </span>
              )}
            </td>
            <td
              className={`max-w-64 truncate ${cell} text-slate-600 max-sm:col-start-1 max-sm:max-w-none max-sm:p-0 max-sm:text-xs`}
              title={row.channels.join(", ")}
            >
              {row.channels.join(", ")}
            </td>
            <td className={`${cell} whitespace-nowrap ${phoneDetail}`}>
              <span className="sm:hidden">connected </span>
              {formatAgo(now - row.createdAt)}
            </td>
            <td className={`${cell} whitespace-nowrap text-slate-500 ${phoneDetail}`}>
              <span className="sm:hidden">last pulse </span>
              {formatAgo(now - row.lastPulseAt)}
            </td>
            <td
              className={`${cell} text-right max-sm:col-start-2 max-sm:row-span-4 max-sm:row-start-1 max-sm:p-0`}
            >
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
