"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import dynamic from "next/dynamic";
import { useState } from "react";
import { ConnectionBadge } from "@/app/_components/connection-badge";
import type { AdminOverview } from "@/app/admin/_server/admin-overview";
import { ActionsPanel } from "./actions-panel";
import {
  announce,
  fetchOverview,
  overviewKey,
  resetServerEvents,
  unregisterSubscription,
} from "./admin-api";
import { ChannelsTable } from "./channels-table";
import { InstancesTable } from "./instances-table";
import { Panel } from "./panel";
import { SubscriptionsTable } from "./subscriptions-table";
import { Totals } from "./totals";
import { useAdminLive } from "./use-admin-live";

// The chart measures its container, which only exists in the browser.
const TrafficChart = dynamic(() => import("./traffic-chart"), {
  ssr: false,
  loading: () => <div className="h-64" />,
});

/** How often the subscription list is refetched; the totals are live in between. */
const SUBSCRIPTIONS_REFRESH_MS = 5_000;

type Notice = { tone: "ok" | "error"; text: string } | null;

/** /admin: the cluster's totals, chart and tables, live over the admin channel, and the actions. */
export function AdminDashboard({ userKey, initial }: { userKey: string; initial: AdminOverview }) {
  const live = useAdminLive(userKey, initial);
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState<Notice>(null);
  const overview = useQuery({
    queryKey: overviewKey,
    queryFn: fetchOverview,
    initialData: initial,
    refetchInterval: SUBSCRIPTIONS_REFRESH_MS,
  });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: overviewKey });
  const report = {
    onError: (error: Error) => setNotice({ tone: "error", text: error.message }),
    onSettled: refresh,
  };
  const unregister = useMutation({
    mutationFn: unregisterSubscription,
    onSuccess: ({ displayName }) =>
      setNotice({ tone: "ok", text: `${displayName} was disconnected` }),
    ...report,
  });
  const sendAnnouncement = useMutation({
    mutationFn: ({ channel, message }: { channel: string; message: string }) =>
      announce(channel, message),
    onSuccess: (_, { channel }) => setNotice({ tone: "ok", text: `Announced to #${channel}` }),
    ...report,
  });
  const reset = useMutation({
    mutationFn: resetServerEvents,
    onSuccess: () => setNotice({ tone: "ok", text: "Server events were reset" }),
    ...report,
  });

  return (
    <main className="mx-auto w-full max-w-7xl flex-1 space-y-4 px-4 py-6">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-bold tracking-tight">Operator dashboard</h1>
        <ConnectionBadge state={live.connection} />
        {notice && (
          <p
            role="status"
            data-testid="admin-notice"
            className={`ml-auto rounded-lg px-3 py-1.5 text-sm ${
              notice.tone === "ok" ? "bg-emerald-50 text-emerald-800" : "bg-rose-50 text-rose-800"
            }`}
          >
            {notice.text}
          </p>
        )}
      </div>
      <Totals totals={live.view.totals} channelsAtLeast={live.view.channelsAtLeast} />
      <Panel title="Traffic, last 10 minutes">
        <div className="p-2 sm:p-4">
          <TrafficChart history={live.history} now={live.now} />
        </div>
      </Panel>
      <div className="grid gap-4 lg:grid-cols-2">
        <InstancesTable instances={live.view.instances} now={live.now} />
        <ChannelsTable channels={live.view.channels} />
      </div>
      <div className="grid gap-4 lg:grid-cols-3">
        <div className="min-w-0 lg:col-span-2">
          <SubscriptionsTable
            rows={overview.data.newestSubscriptions}
            total={overview.data.subscriptionCount}
            now={live.now}
            pendingHandle={unregister.isPending ? (unregister.variables ?? null) : null}
            onUnregister={(row) => unregister.mutate(row.handle)}
          />
        </div>
        <ActionsPanel
          busy={sendAnnouncement.isPending || reset.isPending}
          onAnnounce={(channel, message) => sendAnnouncement.mutate({ channel, message })}
          onReset={() => reset.mutate()}
        />
      </div>
    </main>
  );
}
