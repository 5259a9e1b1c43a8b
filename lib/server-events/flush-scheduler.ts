/**
 * Runs every flush requested during one event-loop turn together, after I/O. A subscriber that
 * receives several frames in one turn (a burst of publishes, presence for several channels) gets
 * them as one chunk: the per-chunk cost of a Fetch response body (a read, a write and their
 * promises per chunk), or of a socket write, is paid once. ServiceStack concatenates pending
 * frames the same way.
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

/**
 * Resolves once this turn's flushes have run: a caller that waits for work of this turn (a
 * registration that needs no database) waits no longer than that.
 */
export function endOfTurn(): Promise<void> {
  return new Promise((resolve) => scheduleFlush(resolve));
}

/** Flushes that may wait, grouped by how long: one timer per delay serves every sink. */
const waiting = new Map<number, Set<() => void>>();

function scheduleWithin(delayMs: number, flush: () => void): void {
  let group = waiting.get(delayMs);
  if (!group) {
    const flushes = (group = new Set());
    waiting.set(delayMs, flushes);
    const timer = setTimeout(() => {
      waiting.delete(delayMs);
      for (const run of flushes) run();
    }, delayMs);
    // An open stream keeps the process alive, not its pending presence frames.
    timer.unref?.();
  }
  group.add(flush);
}

/**
 * When one sink's queued frames go out: after this turn, or — for frames that tolerate a delay,
 * such as presence during a reconnect herd, where every member gets an onJoin per newcomer —
 * up to `withinMs` later, so that the frames of many turns share one write. Any frame that may
 * not wait takes the waiting ones with it, in order.
 */
export class FlushTiming {
  private soon = false;
  private later = false;

  constructor(private readonly flush: () => void) {}

  /** A frame was queued; `withinMs` > 0 lets it wait that long for company. */
  queued(withinMs = 0): void {
    if (withinMs > 0) {
      if (this.soon || this.later) return;
      this.later = true;
      scheduleWithin(withinMs, this.run);
    } else if (!this.soon) {
      this.soon = true;
      scheduleFlush(this.run);
    }
  }

  private readonly run = (): void => {
    this.soon = this.later = false;
    this.flush();
  };
}
