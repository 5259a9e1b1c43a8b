import { unclaimedAdminNames } from "@/lib/auth/admin-users";
import { env, InvalidEnvironmentError, validateEnv } from "@/lib/env";
import { pathsOnlyTheNodeServerServes } from "./endpoint-paths";
import { functionHostProblems } from "./function-host";
import { isNodeServer } from "./serve-mode";

/**
 * Every variable, checked before the first request (instrumentation.ts runs this in every Next
 * server: `next start`, `next dev`, and inside `npm start`). A bad one stops the process with one
 * line per variable: left to Next, the error would be logged and every request answered with 500.
 */
export function checkEnvironmentOrExit(): void {
  try {
    validateEnv();
    // npm start's Node server serves moved endpoint paths; the App Router's folders do not.
    const unserved = isNodeServer() ? [] : pathsOnlyTheNodeServerServes(env);
    const problems = [...unserved, ...functionHostProblems(env)];
    if (problems.length > 0) throw new InvalidEnvironmentError(problems);
  } catch (error) {
    if (!(error instanceof InvalidEnvironmentError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

/**
 * Warns, once per start, about each `ADMIN_USERS` name that no account has yet: the first person
 * to sign up under it becomes an operator. Runs in the background; a database that does not
 * answer yet is /readyz's business, not this check's.
 */
export function warnAboutUnclaimedAdmins(): void {
  if (env.ADMIN_USERS.length === 0) return;
  void (async () => {
    const { logger } = await import("./logger");
    try {
      const { findUserByName } = await import("@/db/auth-store");
      for (const name of await unclaimedAdminNames(env.ADMIN_USERS, findUserByName))
        logger.warn(
          { adminUser: name },
          `ADMIN_USERS lists '${name}', which no account has yet: whoever signs up as '${name}' first becomes an operator. Sign up as '${name}' now, or remove the name.`,
        );
    } catch (error) {
      logger.info({ err: error }, "could not check ADMIN_USERS against the accounts");
    }
  })().catch(() => undefined);
}
