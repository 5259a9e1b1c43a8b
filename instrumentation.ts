/**
 * Runs once when a Next server starts (`next start`, `next dev`, and inside `npm start`): the
 * environment is checked before the first request, with one line per bad variable.
 */
export async function register(): Promise<void> {
  // Raw on purpose: Next replaces NEXT_RUNTIME at build time, per runtime, so that the Edge
  // bundle drops the import below (lib/env, zod) altogether.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { env, InvalidEnvironmentError, validateEnv } = await import("./lib/env");
  validateEnv();
  const [{ isNodeServer }, { pathsOnlyTheNodeServerServes }] = await Promise.all([
    import("./lib/next/serve-mode"),
    import("./lib/next/endpoint-paths"),
  ]);
  const unserved = isNodeServer() ? [] : pathsOnlyTheNodeServerServes(env);
  if (unserved.length > 0) throw new InvalidEnvironmentError(unserved);
}
