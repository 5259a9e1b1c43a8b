import type { RequestHead } from "./http/request-head";

/**
 * Who is calling, as the host app's auth resolves it. Anonymous callers get ServiceStack's
 * `-N`/`userN`, unless the host names them itself (`userId` and a name): a guest cookie then makes
 * one anonymous person of every connection from that browser.
 */
export interface CallerIdentity {
  isAuthenticated: boolean;
  /** The subscription's userId; for an anonymous caller it must be unique to that visitor. */
  userId?: string | null;
  userName?: string | null;
  displayName?: string | null;
  sessionId?: string | null;
  profileUrl?: string | null;
  roles?: readonly string[];
}

/** Reads headers only (cookies, authorization), so the Node adapter can skip building a `Request`. */
export type IdentityResolver = (request: RequestHead) => Promise<CallerIdentity | null>;

export const anonymousIdentity: IdentityResolver = () => Promise.resolve(null);

/**
 * ServiceStack's GetSafeDisplayName: the user name unless it is an email or numeric, else the
 * display name with anything outside [A-Za-z0-9_] replaced by `_`.
 */
export function safeDisplayName(identity: CallerIdentity, anonNumber: number): string {
  const userName = identity.userName ?? "";
  if (userName && !userName.includes("@") && !/^\d+$/u.test(userName)) return userName;
  const displayName = identity.displayName ?? userName;
  return displayName ? displayName.replace(/[^A-Za-z0-9_]/gu, "_") : `user${anonNumber}`;
}

/**
 * A generated avatar's key: the name's first letter or digit and a hue from its hash, e.g. `U166`
 * (`_166` when the name has neither). Short, and nothing in it comes through unchecked.
 */
export function avatarKey(name: string): string {
  let hash = 0;
  for (const char of name) hash = (hash * 31 + char.codePointAt(0)!) | 0;
  const hue = Math.abs(hash) % 360;
  const initial = (name.match(/[A-Za-z0-9]/u)?.[0] ?? "_").toUpperCase();
  return `${initial}${hue}`;
}

const avatarKeyPattern = /^([A-Z0-9_])(\d{1,3})$/u;

/** The SVG of an avatar key, or `undefined` for anything {@link avatarKey} cannot produce. */
export function avatarSvg(key: string): string | undefined {
  const match = avatarKeyPattern.exec(key);
  const hue = Number(match?.[2]);
  if (!match || hue >= 360) return undefined;
  const initial = match[1] === "_" ? "?" : match[1]!;
  return (
    `<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'>` +
    `<circle cx='16' cy='16' r='16' fill='hsl(${hue} 55% 45%)'/>` +
    `<text x='16' y='21' font-size='15' font-family='sans-serif' text-anchor='middle' fill='#fff'>${initial}</text></svg>`
  );
}

/**
 * A generated avatar as an inline SVG, so it works with no avatar route and no network
 * (ServiceStack's default is a data URI too). The app serves the same picture at
 * `/avatars/{key}.svg` and sends that short URL instead: every presence frame carries it.
 */
export function defaultProfileUrl(name: string): string {
  const svg = avatarSvg(avatarKey(name))!;
  // Only the characters a data URI must escape (the fully percent-encoded form is three times longer).
  return `data:image/svg+xml,${svg.replace(/[<>#%"]/gu, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}
