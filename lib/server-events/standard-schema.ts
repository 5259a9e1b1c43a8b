/**
 * Standard Schema v1, the interface zod (3.24+ and 4), valibot, arktype and others implement under
 * the `~standard` key. It is a types-only spec meant to be copied rather than installed, so typed
 * messages work with any validator and the core depends on none. The shapes below must stay
 * structurally identical to the spec's `StandardSchemaV1`.
 *
 * @see https://standardschema.dev
 */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly "~standard": StandardSchemaProps<Input, Output>;
}

export interface StandardSchemaProps<Input = unknown, Output = Input> {
  /** Always 1 for this version of the spec. */
  readonly version: 1;
  /** The library that made the schema (`"zod"`, `"valibot"`, …). */
  readonly vendor: string;
  /** Checks a value; some libraries answer with a promise (async refinements). */
  readonly validate: (
    value: unknown,
  ) => StandardSchemaResult<Output> | Promise<StandardSchemaResult<Output>>;
  /** Carries the input and output types for inference only; never read at runtime. */
  readonly types?: StandardSchemaTypes<Input, Output> | undefined;
}

export type StandardSchemaResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: readonly StandardSchemaIssue[] };

export interface StandardSchemaIssue {
  readonly message: string;
  /** Where in the value: keys, or segments holding a key. */
  readonly path?: readonly (PropertyKey | { readonly key: PropertyKey })[] | undefined;
}

export interface StandardSchemaTypes<Input = unknown, Output = Input> {
  readonly input: Input;
  readonly output: Output;
}

/** What a schema accepts: the type a publisher must pass. */
export type InferInput<Schema extends StandardSchemaV1> = NonNullable<
  Schema["~standard"]["types"]
>["input"];

/** What a schema gives back: the type a handler receives. */
export type InferOutput<Schema extends StandardSchemaV1> = NonNullable<
  Schema["~standard"]["types"]
>["output"];

/** An issue's path as a reader would write it: `items.0.name`, or `""` for the value itself. */
export function issuePath(issue: StandardSchemaIssue): string {
  return (issue.path ?? [])
    .map((segment) => String(typeof segment === "object" ? segment.key : segment))
    .join(".");
}

/** Every issue on one line: `channel: Too big; message: Required`. */
export function formatIssues(issues: readonly StandardSchemaIssue[]): string {
  return issues
    .map((issue) => {
      const path = issuePath(issue);
      return path === "" ? issue.message : `${path}: ${issue.message}`;
    })
    .join("; ");
}

/** Whether `value` implements Standard Schema v1: checked once, where a catalog is defined. */
export function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  if (typeof value !== "object" && typeof value !== "function") return false;
  if (value === null) return false;
  const props = (value as Partial<StandardSchemaV1>)["~standard"];
  return props?.version === 1 && typeof props.validate === "function";
}
