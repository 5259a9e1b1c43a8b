/** Rates are averaged over this many whole seconds: steady enough to read, quick to follow. */
export const RATE_WINDOW_SECONDS = 5;

interface Bucket {
  second: number;
  total: number;
  byChannel: Map<string, number>;
}

export interface TrafficRates {
  messagesPerSecond: number;
  byChannel: Map<string, number>;
}

/**
 * Messages per second, overall and per channel, over the last {@link RATE_WINDOW_SECONDS} whole
 * seconds (the current, unfinished second is left out so a rate never dips mid-second). Keeps one
 * bucket per second, so memory stays bounded however busy the server is.
 */
export class TrafficMeter {
  private readonly buckets: Bucket[] = [];
  private readonly startedSecond: number;

  constructor(private readonly now: () => number = Date.now) {
    this.startedSecond = Math.floor(now() / 1000);
  }

  /** One message; `channel` is null for messages sent to a user, a session or everyone. */
  record(channel: string | null): void {
    const bucket = this.bucketFor(Math.floor(this.now() / 1000));
    bucket.total++;
    if (channel !== null) bucket.byChannel.set(channel, (bucket.byChannel.get(channel) ?? 0) + 1);
  }

  rates(): TrafficRates {
    const current = Math.floor(this.now() / 1000);
    // A meter started 2 s ago has 2 s of data: dividing by the full window would under-report.
    const seconds = Math.max(1, Math.min(RATE_WINDOW_SECONDS, current - this.startedSecond));
    const counted = this.buckets.filter(
      (bucket) => bucket.second < current && bucket.second >= current - seconds,
    );
    const byChannel = new Map<string, number>();
    let total = 0;
    for (const bucket of counted) {
      total += bucket.total;
      for (const [channel, n] of bucket.byChannel)
        byChannel.set(channel, (byChannel.get(channel) ?? 0) + n);
    }
    for (const [channel, n] of byChannel) byChannel.set(channel, n / seconds);
    return { messagesPerSecond: total / seconds, byChannel };
  }

  private bucketFor(second: number): Bucket {
    const last = this.buckets.at(-1);
    if (last?.second === second) return last;
    const bucket = { second, total: 0, byChannel: new Map<string, number>() };
    this.buckets.push(bucket);
    // The window plus the current second is all rates() ever reads.
    while (this.buckets[0]!.second < second - RATE_WINDOW_SECONDS) this.buckets.shift();
    return bucket;
  }
}
