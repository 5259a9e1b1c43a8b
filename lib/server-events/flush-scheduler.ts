/**
 * Runs every flush requested during one event-loop turn together, after I/O. A subscriber that
 * receives several frames in one turn (a burst of publishes, presence for several channels) gets
 * them as one chunk: the per-chunk cost of a Fetch response body (a read, a write and their
 * promises per chunk) is paid once. ServiceStack concatenates pending frames the same way.
 */
const pending = new Set<() => void>();
let scheduled = false;

// setImmediate runs after the current poll phase (Node, Bun); elsewhere a zero timeout does.
const defer: (run: () => void) => void =
  typeof setImmediate === "function" ? (run) => setImmediate(run) : (run) => setTimeout(run, 0);

function runAll(): void {
  scheduled = false;
  const flushes = [...pending];
  pending.clear();
  for (const flush of flushes) flush();
}

export function scheduleFlush(flush: () => void): void {
  pending.add(flush);
  if (scheduled) return;
  scheduled = true;
  defer(runAll);
}
