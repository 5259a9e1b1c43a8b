import type { ChannelUser } from "@/app/_components/presence";
import { isKnownCommand, unknownCommandHint } from "./known-commands";

/** What the composer's text turns into, as in ServiceStack's Chat. */
export type ChatCommand =
  | { kind: "chat"; message: string; toUserId?: string }
  | { kind: "raw"; selector: string; message: string; toUserId?: string }
  | { kind: "error"; error: string };

function splitOnFirst(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, ""] : [text.slice(0, at), text.slice(at + 1)];
}

/**
 * `@name message` → private to every tab of that user (`@me` → yourself);
 * `/selector message` → a raw message (`/cmd.announce hi`, `/css.color$#top red`, `/tv.watch url`);
 * anything else → a chat message to the channel. `@name /selector …` sends the raw message privately.
 */
export function parseInput(
  text: string,
  users: readonly ChannelUser[],
  myUserId: string,
): ChatCommand {
  let rest = text.trim();
  let toUserId: string | undefined;
  if (rest.startsWith("@")) {
    const [mention, after] = splitOnFirst(rest, " ");
    const name = mention.slice(1);
    if (name.toLowerCase() === "me") toUserId = myUserId;
    else {
      const named = users.filter((u) => u.displayName.toLowerCase() === name.toLowerCase());
      if (named.length === 0)
        return { kind: "error", error: `No one called @${name} is in this channel` };
      // Guests' names come from their cookie, and two may share one: never guess which is meant.
      if (named.length > 1)
        return {
          kind: "error",
          error: `${named.length} people here are called @${name}: message the one you mean from the user list`,
        };
      toUserId = named[0]!.userId;
    }
    rest = after.trim();
    if (!rest) return { kind: "error", error: `Type a message after @${name}` };
  }
  const target = toUserId === undefined ? {} : { toUserId };
  if (rest.startsWith("/")) {
    const [selector, message] = splitOnFirst(rest.slice(1), " ");
    if (!isKnownCommand(selector)) return { kind: "error", error: unknownCommandHint(selector) };
    return { kind: "raw", selector, message, ...target };
  }
  return { kind: "chat", message: rest, ...target };
}
