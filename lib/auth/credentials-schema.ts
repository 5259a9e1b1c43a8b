import { z } from "zod";

/** bcrypt reads only the first 72 bytes of a password and silently ignores the rest. */
export const MAX_PASSWORD_BYTES = 72;

/** Guests are shown as `user1`, `user2`… (ServiceStack's anonymous names); accounts must not pass as one. */
const guestNamePattern = /^user\d+$/iu;

export const isReservedForGuests = (name: string) => guestNamePattern.test(name.trim());

const utf8Length = (value: string) => new TextEncoder().encode(value).length;

/** Names are shown to other users and used in `@name` mentions: letters, digits, `_`, `-`. */
export const userNameSchema = z
  .string()
  .trim()
  .min(2, "Use at least 2 characters")
  .max(24, "Use at most 24 characters")
  .regex(/^[A-Za-z][A-Za-z0-9_-]*$/u, "Start with a letter; then letters, digits, _ or -")
  .refine((name) => !isReservedForGuests(name), "Names like user12 are kept for guests");

/**
 * New passwords: at least 8 characters, at most 72 bytes — refused rather than silently cut, so
 * nobody believes the part after byte 72 protects them.
 */
export const passwordSchema = z
  .string()
  .min(8, "Use at least 8 characters")
  .refine(
    (password) => utf8Length(password) <= MAX_PASSWORD_BYTES,
    `Use at most ${MAX_PASSWORD_BYTES} bytes (about ${MAX_PASSWORD_BYTES} characters)`,
  );

/** The sign-up form. */
export const signUpSchema = z.object({ name: userNameSchema, password: passwordSchema });

/**
 * What a sign-in may send. Deliberately loose — a sign-in never explains the rules, it only says
 * "Wrong name or password" — but bounded, so nobody makes the server hash megabytes. Passwords set
 * before the 72-byte rule may be longer; bcrypt compares their first 72 bytes as it always did.
 */
export const signInSchema = z.object({
  name: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(200),
});
