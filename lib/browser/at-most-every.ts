/**
 * `run` at most once every `intervalMs`: the first call runs at once, calls during the interval
 * after it are folded into one more run at its end. For work that others can ask for, such as
 * sending the whole canvas when someone requests it: a flood of requests costs one run per interval.
 */
export function atMostEvery(run: () => void, intervalMs: number): { (): void; cancel(): void } {
  let coolingUntil = 0;
  let trailing: ReturnType<typeof setTimeout> | null = null;
  const call = () => {
    const now = Date.now();
    if (now >= coolingUntil) {
      coolingUntil = now + intervalMs;
      run();
      return;
    }
    trailing ??= setTimeout(() => {
      trailing = null;
      call();
    }, coolingUntil - now);
  };
  call.cancel = () => {
    if (trailing !== null) clearTimeout(trailing);
    trailing = null;
  };
  return call;
}
