/** `42 s`, `5 min`, `3 h 12 min`, `2 d 4 h`: how long, at the precision an operator reads. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** `just now` under two seconds, else `12 s ago`. */
export function formatAgo(ms: number): string {
  return ms < 2000 ? "just now" : `${formatDuration(ms)} ago`;
}

/** Rates with one decimal below 10 (`0.4`), whole numbers above (`1,250`). */
export function formatRate(perSecond: number): string {
  return perSecond < 10 ? perSecond.toFixed(1) : Math.round(perSecond).toLocaleString("en-US");
}

/** `14:03:27`, in the viewer's time zone. */
export function formatClock(at: number): string {
  return new Date(at).toLocaleTimeString("en-GB", { hour12: false });
}
