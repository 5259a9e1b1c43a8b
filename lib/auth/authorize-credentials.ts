// From @auth/core, which next-auth re-exports unchanged (the same classes), because next-auth's
// entry point pulls in next/server and cannot be loaded outside Next (in unit tests).
import { CredentialsSignin } from "@auth/core/errors";
import type { Logger } from "pino";
import type { SignInThrottle } from "./auth-throttle";
import { clientAddress } from "@/lib/server-events";
import { signInSchema } from "./credentials-schema";

/** A wrong name or password: the only thing a failed sign-in ever tells the client. */
export class InvalidCredentials extends CredentialsSignin {
  override code = "invalid_credentials";
}

/** Refused without looking at the password: too many failures for this name or address. */
export class TooManyAttempts extends CredentialsSignin {
  override code = "too_many_attempts";
  constructor(readonly retryAfterMs: number) {
    super();
  }
}

export interface AuthorizedUser {
  id: string;
  name: string;
  role: string;
  /** Carried by the session (the `cv` claim): a password change ends it. */
  credentialVersion: number;
}

export interface AuthorizeDependencies {
  /** The user when the password matches; `null` otherwise. */
  verifyUser: (name: string, password: string) => Promise<AuthorizedUser | null>;
  throttle: SignInThrottle;
  log: Pick<Logger, "warn">;
  /** Browsers that signed in to a name before (lib/auth/device-cookie.ts). */
  devices?: {
    /**
     * The request's device id for `name`, when its cookie proves a sign-in since the account's
     * password last changed.
     */
    recognize: (request: Request, name: string) => Promise<string | undefined>;
    /** Remembers this browser for the account just signed in to (sets its cookie). */
    remember: (user: AuthorizedUser) => Promise<void>;
  };
}

const text = (value: unknown) => (typeof value === "string" ? value : "");

/**
 * The Credentials provider's `authorize`, shared by the sign-in form (a server action calling
 * `signIn`) and `POST /api/auth/callback/credentials`, so both count failures the same way.
 * Every refusal logs exactly one `warn` line, without a stack: it is expected, not a fault.
 * @throws TooManyAttempts when throttled (also on the failure that reaches the limit)
 * @throws InvalidCredentials for any other refusal
 */
export async function authorizeCredentials(
  input: Partial<Record<string, unknown>>,
  request: Request,
  { verifyUser, throttle, log, devices }: AuthorizeDependencies,
): Promise<AuthorizedUser> {
  const name = text(input.name).trim().slice(0, 64);
  const address = clientAddress(request.headers);
  const device = await devices?.recognize(request, name);
  const fields = { event: "signin_failed", name, address: address ?? null, knownBrowser: !!device };
  const before = await throttle.check(name, address, device);
  if (!before.allowed) {
    log.warn({ ...fields, reason: "throttled" }, "sign-in refused: too many attempts");
    throw new TooManyAttempts(before.retryAfterMs);
  }
  const parsed = signInSchema.safeParse(input);
  // An empty field is a slip, not a guess: refused but not counted.
  if (!parsed.success && (name === "" || text(input.password) === "")) {
    log.warn({ ...fields, reason: "empty" }, "sign-in failed");
    throw new InvalidCredentials();
  }
  // Counted before the password is checked: attempts sent at once cannot all pass the check above.
  const attempt = await throttle.begin(name, address, device);
  if (!attempt.allowed) {
    log.warn({ ...fields, reason: "throttled" }, "sign-in refused: too many attempts");
    throw new TooManyAttempts(attempt.retryAfterMs);
  }
  const user = parsed.success ? await verifyUser(parsed.data.name, parsed.data.password) : null;
  if (user) {
    await attempt.succeeded();
    await devices?.remember(user);
    return user;
  }
  const { after } = attempt;
  log.warn({ ...fields, reason: "wrong", throttled: !after.allowed }, "sign-in failed");
  throw after.allowed ? new InvalidCredentials() : new TooManyAttempts(after.retryAfterMs);
}
