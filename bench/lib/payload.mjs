// @ts-check
/**
 * The benchmark message: `{"s":SEQ,"t":SENT_MS,"p":"xxx…"}`, padded to a size. Every server
 * wraps it differently (escaped inside a JSON string, as a socket.io argument); readers find the
 * marker with one regular expression that tolerates the escaping.
 */
/** @param {number} seq @param {number} sentMs @param {number} [size] */
export function makeMessage(seq, sentMs, size = 0) {
  const head = `{"s":${seq},"t":${sentMs.toFixed(3)},"p":"`;
  const pad = Math.max(0, size - head.length - 2);
  return `${head}${"x".repeat(pad)}"}`;
}

const MARK = /"s\\?":(\d+),\\?"t\\?":([\d.]+)/;

/** `{seq, sent}` from the first bytes of a data line or socket.io argument, or null. @param {string} text */
export function readMark(text) {
  const match = MARK.exec(text);
  return match ? { seq: Number(match[1]), sent: Number(match[2]) } : null;
}
