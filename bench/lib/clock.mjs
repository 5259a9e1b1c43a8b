// @ts-check
/**
 * Milliseconds on CLOCK_MONOTONIC (process.hrtime), which every process on one Linux machine
 * shares: a publisher's stamp and a subscriber's receive time are directly comparable.
 */
export function nowMs() {
  return Number(process.hrtime.bigint()) / 1e6;
}

export const sleep = (/** @type {number} */ ms) =>
  new Promise((resolve) => setTimeout(resolve, ms));
