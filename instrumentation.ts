/**
 * Runs once when a Next server starts (`next start`, `next dev`, and inside `npm start`): the
 * environment is checked before the first request, and a bad variable stops the server with one
 * line per variable (lib/next/startup-env.ts).
 */
export async function register(): Promise<void> {
  // Raw on purpose: Next replaces NEXT_RUNTIME at build time, per runtime, so that the Edge
  // bundle drops the import below (lib/env, zod) altogether.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { checkEnvironmentOrExit, warnAboutUnclaimedAdmins } =
    await import("./lib/next/startup-env");
  checkEnvironmentOrExit();
  warnAboutUnclaimedAdmins();
}
