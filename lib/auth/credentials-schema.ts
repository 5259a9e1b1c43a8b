import { z } from "zod";

/** bcrypt reads only the first 72 bytes of a password and silently ignores the rest. */
export const MAX_PASSWORD_BYTES = 72;

/** Guests are shown as `user1`, `user2`… (ServiceStack's anonymous names); accounts must not pass as one. */
const guestNamePattern = /^user\d+$/iu;

export const isReservedForGuests = (name: string) => guestNamePattern.test(name.trim());

const utf8Length = (value: string) => new TextEncoder().encode(value).length;

/** The rules as the sign-up form states them, next to each field and in every refusal. */
export const USER_NAME_RULE = "2–24 letters, digits, _ or -, starting with a letter";
export const PASSWORD_RULE = `8 characters to ${MAX_PASSWORD_BYTES} bytes`;

/** Names are shown to other users and used in `@name` mentions: letters, digits, `_`, `-`. */
export const userNameSchema = z
  .string()
  .trim()
  .min(2, "Too short: a name has at least 2 characters")
  .max(24, "Too long: a name has at most 24 characters")
  .regex(/^[A-Za-z]/u, `Start with a letter (${USER_NAME_RULE})`)
  .regex(/^[^\s]*$/u, `Spaces aren't allowed (${USER_NAME_RULE})`)
  .regex(/^[A-Za-z0-9_-]*$/u, `Only letters, digits, _ or - (${USER_NAME_RULE})`)
  .refine((name) => !isReservedForGuests(name), "Names like user12 are kept for guests");

/**
 * New passwords: at least 8 characters, at most 72 bytes — refused rather than silently cut, so
 * nobody believes the part after byte 72 protects them.
 */
export const passwordSchema = z
  .string()
  .min(8, "Too short: a password has at least 8 characters")
  .refine(
    (password) => utf8Length(password) <= MAX_PASSWORD_BYTES,
    `Too long: at most ${MAX_PASSWORD_BYTES} bytes (${MAX_PASSWORD_BYTES} plain letters or digits; accented letters take 2, most other scripts 3)`,
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

/**
 * The change-password form. The current password is only bounded (it was set under older rules
 * perhaps, and is checked against the hash); the new one follows the sign-up rules.
 */
export const changePasswordSchema = z
  .object({
    currentPassword: z.string().min(1, "Enter your current password").max(200, "Wrong password"),
    newPassword: passwordSchema,
    confirmPassword: z.string(),
  })
  .refine((form) => form.newPassword === form.confirmPassword, {
    path: ["confirmPassword"],
    message: "The two new passwords differ",
  });
