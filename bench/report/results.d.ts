/**
 * The shape of a results JSON in bench/.results/ (written by bench/run.mjs, merged by
 * bench/report/merge.mjs), as far as the report and the charts read it. Every scenario is optional:
 * BENCH_ONLY runs some of them, and a failed scenario is `{ error }`.
 */

export interface Latency {
  count?: number;
  p50: number;
  p99: number;
  max: number;
  mean?: number;
}

/** One fan-out row: one server at one N. Skipped and failed rows carry only `skipped`/`error`. */
export interface FanoutRow {
  kind: string;
  n: number;
  skipped?: string;
  error?: string;
  connected?: number;
  setupSeconds?: number;
  settled?: boolean;
  rssConnected?: number;
  allComplete?: boolean;
  /** Latency at 20 msg/s: the time for one message to reach all N. */
  paced?: Latency;
  /** Medians over the throughput runs. */
  median?: Latency & {
    deliveriesPerSec: number;
    publishesPerSec: number;
    cpuUsPerDelivery: number;
  };
}

/** One paced run across two instances, or the medians of several at one rate. */
export interface CrossRate extends Latency {
  rate: number;
  achievedRate: number;
  lost: number;
  duplicates: number;
  publishRttP50: number;
  cpuMsPerMessageA: number;
  cpuMsPerMessageB: number;
}

export interface CrossServer {
  skipped?: string;
  error?: string;
  subscribers?: number;
  rates?: CrossRate[];
  ramp?: CrossRate[];
  highest?: CrossRate | null;
}

export interface Results {
  machine: Record<string, unknown> & { date: string; cores: number };
  config: Record<string, unknown> & { quick: boolean; runs: number };
  startedAt: string;
  merged?: boolean;
  notes?: string[];
  totalSeconds?: number;
  fanout?: FanoutRow[] | { error: string };
  cross?: Record<string, CrossServer> | { error: string };
  [scenario: string]: unknown;
}
