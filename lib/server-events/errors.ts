/** Every failure the core reports, with the HTTP status it maps to in one place. */
export type ServerEventsErrorCode =
  | "invalid_argument"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "method_not_allowed"
  | "payload_too_large"
  | "unsupported_media_type"
  | "too_many_requests"
  | "unavailable";

const statusByCode: Record<ServerEventsErrorCode, number> = {
  invalid_argument: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  payload_too_large: 413,
  unsupported_media_type: 415,
  too_many_requests: 429,
  unavailable: 503,
};

/** ServiceStack's `ResponseStatus.ErrorCode` names, so its clients read our errors as theirs. */
const serviceStackCodeByCode: Record<ServerEventsErrorCode, string> = {
  invalid_argument: "ArgumentException",
  unauthorized: "Unauthorized",
  forbidden: "Forbidden",
  not_found: "NotFound",
  method_not_allowed: "NotImplementedException",
  payload_too_large: "RequestEntityTooLarge",
  unsupported_media_type: "UnsupportedMediaType",
  too_many_requests: "TooManyRequests",
  unavailable: "ServiceUnavailable",
};

export interface ServerEventsErrorOptions {
  /** The request field at fault, reported in `responseStatus.errors[0].fieldName`. */
  field?: string;
  cause?: unknown;
  /** For 429 and 503: when the caller may try again, sent as `Retry-After` (whole seconds). */
  retryAfterMs?: number;
}

/** Marks errors of every copy of this module (see `Symbol.hasInstance` below). */
const brand: unique symbol = Symbol.for("server-events.ServerEventsError");

export class ServerEventsError extends Error {
  /**
   * `instanceof` holds across copies of this module: the Node server's bundle and Next's route
   * bundles each have one, and both use the one provider, whose errors must map to their 4xx.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && brand in value;
  }

  readonly [brand] = true;
  override readonly name = "ServerEventsError";
  readonly field: string | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(
    readonly code: ServerEventsErrorCode,
    message: string,
    options: ServerEventsErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.field = options.field;
    this.retryAfterMs = options.retryAfterMs;
  }

  get status(): number {
    return statusByCode[this.code];
  }

  /** ServiceStack's error body: `{ responseStatus: { errorCode, message, errors } }`. */
  toJSON(): { responseStatus: ResponseStatus } {
    const errorCode = serviceStackCodeByCode[this.code];
    const errors = this.field ? [{ errorCode, fieldName: this.field, message: this.message }] : [];
    return { responseStatus: { errorCode, message: this.message, errors } };
  }
}

export interface ResponseStatus {
  errorCode: string;
  message: string;
  errors: { errorCode: string; fieldName: string; message: string }[];
}

export const invalidArgument = (field: string, message: string, cause?: unknown) =>
  new ServerEventsError("invalid_argument", message, { field, cause });

export const subscriptionNotFound = (id: string): ServerEventsError =>
  new ServerEventsError("not_found", `Subscription '${id}' does not exist`, { field: "id" });

export const tooManyRequests = (field: string, what: string, retryAfterMs: number) =>
  new ServerEventsError(
    "too_many_requests",
    `Too many ${what}: try again in ${Math.ceil(retryAfterMs / 1000)} s`,
    { field, retryAfterMs },
  );
