import type { Env } from "@/lib/env";
import { defaultPaths, type ServerEventsPaths } from "@/lib/server-events";

/**
 * The endpoints' paths from `SSE_*_PATH`, one configuration for both the provider (which puts
 * them in `cmd.onConnect` and answers 404 elsewhere) and `npm start`'s Node routes. `off` turns an
 * endpoint off. The App Router's route folders stay at the defaults: moved paths are served by
 * `npm start` only (see {@link pathsOnlyTheNodeServerServes}), and a moved endpoint's default
 * route answers 404 in both modes.
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

const pathVariables = {
  SSE_STREAM_PATH: defaultPaths.streamPath,
  SSE_HEARTBEAT_PATH: defaultPaths.heartbeatPath,
  SSE_UNREGISTER_PATH: defaultPaths.unRegisterPath,
  SSE_SUBSCRIBERS_PATH: defaultPaths.subscribersPath,
} as const;

/**
 * One problem per variable that moves an endpoint, for servers other than `npm start`'s: there
 * the App Router's folders serve ServiceStack's paths only, so a moved stream would answer 404
 * and `cmd.onConnect` would send clients to URLs nothing serves. Turning one `off` works anywhere.
 */
export function pathsOnlyTheNodeServerServes(env: Env): string[] {
  return Object.entries(pathVariables).flatMap(([name, fallback]) => {
    const value = env[name as keyof typeof pathVariables];
    return value === undefined || value === "off" || value === fallback
      ? []
      : [
          `${name}: ${value} is served by npm start only; under next start and on Vercel-style ` +
            `hosts the App Router serves ${fallback} (unset it, or set it to off)`,
        ];
  });
}
