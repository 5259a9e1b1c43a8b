import type { ConnectedSettings } from "./connection";
import type { ServerEventConnect } from "./types";

/** Overrides from the client options. */
export interface ConnectOverrides {
  heartbeatIntervalMs?: number | undefined;
  idleTimeoutMs?: number | null | undefined;
}

function toNumber(value: unknown): number {
  return typeof value === "number" ? value : Number.parseInt(String(value), 10) || 0;
}

/**
 * The server sends every onConnect value as a string; like the official client, parse the two
 * durations (`parseInt`), then apply the client's overrides.
 */
export function normalizeConnectInfo(info: ServerEventConnect, overrides: ConnectOverrides): void {
  info.heartbeatIntervalMs = overrides.heartbeatIntervalMs ?? toNumber(info.heartbeatIntervalMs);
  info.idleTimeoutMs = overrides.idleTimeoutMs ?? toNumber(info.idleTimeoutMs);
}

/**
 * Timer settings, read *after* the `onConnect` handler ran (it may change the intervals).
 * @default heartbeatIntervalMs 10000, idleTimeoutMs 30000 when the server sent none
 */
export function toConnectedSettings(
  info: ServerEventConnect,
  overrides: ConnectOverrides,
): ConnectedSettings {
  return {
    heartbeatUrl: info.heartbeatUrl || undefined,
    heartbeatIntervalMs: toNumber(info.heartbeatIntervalMs) || 10_000,
    idleTimeoutMs: overrides.idleTimeoutMs === null ? null : toNumber(info.idleTimeoutMs) || 30_000,
  };
}
