import type { Env } from "@/lib/env";
import { defaultPaths, type ServerEventsPaths } from "@/lib/server-events";

/**
 * The endpoints' paths from `SSE_*_PATH`, one configuration for both the provider (which puts
 * them in `cmd.onConnect` and answers 404 elsewhere) and `npm start`'s Node routes. `off` turns an
 * endpoint off. The App Router's route folders stay at the defaults: moved paths are served by
 * `npm start`, and a moved endpoint's default route answers 404 in both modes.
 */
export function endpointPaths(env: Env): ServerEventsPaths {
  const path = (value: string | undefined, fallback: string) =>
    value === undefined ? fallback : value === "off" ? null : value;
  const subscribersPath = path(env.SSE_SUBSCRIBERS_PATH, defaultPaths.subscribersPath!);
  return {
    streamPath: path(env.SSE_STREAM_PATH, defaultPaths.streamPath!),
    heartbeatPath: path(env.SSE_HEARTBEAT_PATH, defaultPaths.heartbeatPath!),
    unRegisterPath: path(env.SSE_UNREGISTER_PATH, defaultPaths.unRegisterPath!),
    subscribersPath,
    updateSubscriberPath: subscribersPath,
  };
}
