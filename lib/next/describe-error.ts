/** An error's code (ECONNREFUSED, …) or first line: never a stack, never a connection string. */
export function describeError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && code !== "") return code;
  const message = error instanceof Error ? error.message : String(error);
  return message
    .split("\n")[0]!
    .replace(/\w+:\/\/\S+/gu, "<url>")
    .slice(0, 200);
}
