/**
 * Runs once when a Next server starts (`next start`, `next dev`, and inside `npm start`): the
 * environment is checked before the first request, with one line per bad variable.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { readEnv } = await import("./lib/env");
  readEnv();
}
