"use client";

import { useEffect, useMemo, useRef, useState } from "react";
import type { Receiver, ServerEventMessage } from "@/lib/server-events-client";
import { parseFrameBody } from "@/lib/browser/frame-body";
import { useSharedStream } from "@/lib/browser/use-shared-stream";
import {
  ADMIN_CHANNEL,
  REPORT_INTERVAL_MS,
  instanceReportSchema,
  type InstanceReport,
} from "@/lib/admin/admin-channel";
import {
  clusterView,
  forgetStopped,
  recordReport,
  type InstanceRegistry,
} from "@/lib/admin/cluster-view";
import { appendSample, type TrafficSample } from "@/lib/admin/traffic-history";
import type { AdminOverview } from "@/app/admin/_server/admin-overview";

interface LiveState {
  registry: InstanceRegistry;
  history: TrafficSample[];
}

const channels = [ADMIN_CHANNEL];

/** The overview's reports and history, by the server's clock (see `serverNow`). */
function seed(initial: AdminOverview): LiveState {
  let registry: InstanceRegistry = new Map();
  for (const { ageMs, ...report } of initial.reports)
    registry = recordReport(registry, report, initial.serverNow - ageMs);
  return { registry, history: initial.history };
}

function withReport(state: LiveState, report: InstanceReport, at: number): LiveState {
  // Stopped instances go: a tab left open across many restarts (new instance ids) stays small.
  const registry = recordReport(forgetStopped(state.registry, at), report, at);
  const { totals } = clusterView(registry, at);
  const sample = {
    at,
    messagesPerSecond: totals.messagesPerSecond,
    openStreams: totals.subscriptions,
  };
  return { registry, history: appendSample(state.history, sample, REPORT_INTERVAL_MS / 2) };
}

/**
 * The cluster, live: starts from the server's overview, then every instance's report on the admin
 * channel updates the totals, the tables and the chart. Times are kept on the server's clock
 * (shifted by the difference seen on arrival), so a skewed laptop clock neither ages the reports
 * nor drops live instances.
 */
export function useAdminLive(userKey: string, initial: AdminOverview) {
  const [state, setState] = useState(() => seed(initial));
  const [now, setNow] = useState(initial.serverNow);
  const clientAhead = useRef(0);

  useEffect(() => {
    clientAhead.current = Date.now() - initial.serverNow;
    const tick = () => setNow(Date.now() - clientAhead.current);
    // Instances that stop reporting must drop out even when no report arrives.
    const timer = setInterval(tick, 1000);
    return () => clearInterval(timer);
  }, [initial.serverNow]);

  const receivers = useMemo<Record<string, Receiver>>(
    () => ({
      admin: {
        instance: (_body: unknown, e: ServerEventMessage) => {
          // Only the channel's own frames: a message sent to an admin personally has no channel.
          if (e.channel !== ADMIN_CHANNEL) return;
          const report = parseFrameBody(instanceReportSchema, e);
          if (!report) return;
          const at = Date.now() - clientAhead.current;
          setState((current) => withReport(current, report, at));
          setNow(at);
        },
      },
    }),
    [],
  );
  const stream = useSharedStream(userKey, channels, {}, { receivers, scope: "operators" });
  const view = useMemo(() => clusterView(state.registry, now), [state.registry, now]);
  return { view, history: state.history, now, connection: stream.state };
}
