import type { ConnectionState } from "@/lib/server-events-client";

const look: Record<ConnectionState, { label: string; dot: string; text: string }> = {
  connecting: { label: "Connecting…", dot: "bg-slate-400 animate-pulse", text: "text-slate-600" },
  open: { label: "Connected", dot: "bg-emerald-500", text: "text-emerald-700" },
  reconnecting: {
    label: "Reconnecting…",
    dot: "bg-amber-500 animate-pulse",
    text: "text-amber-700",
  },
  closed: { label: "Offline", dot: "bg-rose-500", text: "text-rose-700" },
};

/** The stream's state, always visible: connected, or trying to get back. */
export function ConnectionBadge({ state }: { state: ConnectionState }) {
  const { label, dot, text } = look[state];
  return (
    <span
      data-testid="connection-state"
      data-state={state}
      role="status"
      className={`inline-flex items-center gap-1.5 rounded-full bg-white/80 px-2.5 py-1 text-xs font-medium ring-1 ring-slate-200 ${text}`}
    >
      <span className={`size-2 rounded-full ${dot}`} aria-hidden />
      {label}
    </span>
  );
}
