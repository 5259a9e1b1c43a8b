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
