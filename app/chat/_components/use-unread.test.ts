import { describe, expect, it } from "vitest";
import type { ChatMessage } from "./chat-api";
import type { LogEntry } from "./use-chat-events";
import { countUnread } from "./use-unread";

let next = 0;
function chat(channel: string, fromUserId = "u-bob"): LogEntry {
  const id = ++next;
  const message = { id, channel, fromUserId, private: false } as ChatMessage;
  return { kind: "chat", key: `m${id}`, channel, message };
}
const system = (channel: string): LogEntry => ({
  kind: "system",
  key: `s${++next}`,
  channel,
  text: "x",
});

describe("countUnread", () => {
  it("counts others' messages in other views since each was last shown", () => {
    const seen = chat("lobby");
    const entries = [chat("lobby"), seen, chat("lobby"), chat("lobby", "u-me"), chat("home")];
    expect(countUnread(entries, "home", "u-me", { lobby: seen.key })).toEqual({ lobby: 1 });
    expect(countUnread(entries, "home", "u-me", {})).toEqual({ lobby: 3 });
  });

  it("keeps counting once the log holds its newest 500 entries only", () => {
    const log: LogEntry[] = Array.from({ length: 500 }, () => system("home"));
    const mark = log.at(-1)!.key;
    // Three messages arrive in lobby while home is shown; the oldest entries drop off.
    const later = [...log, chat("lobby"), chat("lobby"), chat("lobby")].slice(-500);
    expect(countUnread(later, "home", "u-me", { lobby: mark })).toEqual({ lobby: 3 });
    // Lobby's mark itself dropped off the log: everything still in it is newer.
    const muchLater = [...later, ...Array.from({ length: 500 }, () => chat("lobby"))].slice(-500);
    expect(countUnread(muchLater, "home", "u-me", { lobby: mark })).toEqual({ lobby: 500 });
  });
});
