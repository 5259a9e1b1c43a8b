/**
 * An error's code (ECONNREFUSED, 28P01, …) or first line, for an operator or a public readiness
 * answer: never a stack, never a connection string (`postgres://user:secret@host/db` becomes
 * `<url>`), at most 200 characters.
 */
export function describeError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && code !== "") return code;
  const message = error instanceof Error ? error.message : String(error);
  return (
    message
      .split("\n")[0]!
      .replace(/\w+:\/\/\S+/gu, "<url>")
      // Key-value connection strings, and credentials written without a scheme (`app:pw@db:6379`).
      .replace(/\bpassword\s*=\s*\S+/giu, "password=<hidden>")
      .replace(/\S+:\S+@\S+/gu, "<credentials>")
      .slice(0, 200)
  );
}
