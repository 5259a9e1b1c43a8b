import type { StandardSchemaResult, StandardSchemaV1 } from "../standard-schema";

/**
 * Hand-written Standard Schema v1 schemas: the core's tests use no validator library, which
 * proves that any library implementing the spec will do.
 */
export function standardSchema<Input, Output = Input>(
  check: (value: unknown) => StandardSchemaResult<Output> | Promise<StandardSchemaResult<Output>>,
): StandardSchemaV1<Input, Output> {
  return { "~standard": { version: 1, vendor: "test", validate: check } };
}

/** A string of at most `max` characters. */
export const text = (max = 100) =>
  standardSchema<string>((value) =>
    typeof value !== "string"
      ? { issues: [{ message: "Expected a string" }] }
      : value.length > max
        ? { issues: [{ message: `At most ${max} characters` }] }
        : { value },
  );

export interface Greeting {
  to: string;
  text: string;
}

/** `{ to, text }`, each a non-empty string; issues carry their path, as zod's do. */
export const greeting = standardSchema<Greeting>((value) => {
  const record = (typeof value === "object" && value !== null ? value : {}) as Record<
    string,
    unknown
  >;
  const issues = ["to", "text"]
    .filter((key) => typeof record[key] !== "string" || record[key] === "")
    .map((key) => ({ message: "Required", path: [{ key }] }));
  return issues.length > 0
    ? { issues }
    : { value: { to: String(record.to), text: String(record.text) } };
});

/** Input: Unix milliseconds; output: a `Date`. A transform that must run once, on the reader. */
export const timestamp = standardSchema<number, Date>((value) =>
  typeof value === "number" && Number.isFinite(value)
    ? { value: new Date(value) }
    : { issues: [{ message: "Expected Unix milliseconds" }] },
);

/** Accepts anything, after a tick: a schema with an async refinement. */
export const eventually = standardSchema<string>((value) =>
  Promise.resolve(
    typeof value === "string" ? { value } : { issues: [{ message: "Expected a string" }] },
  ),
);
