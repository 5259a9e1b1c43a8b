import type { Metadata } from "next";
import { currentSession } from "@/auth";
import { parseChannelParams } from "./_components/channel-name";
import { ChatApp } from "./_components/chat-app";
import { SIGNED_OUT_USER_KEY } from "@/lib/browser/session-ended-elsewhere";

export const metadata: Metadata = { title: "Chat · Server Events" };

type SearchParams = Record<string, string | string[] | undefined>;

/** `/chat?channels=home,lobby`: the channels to join (default `home`). */
export default async function ChatPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await searchParams;
  const raw = [params.channels, params.channel].flat().filter((v) => typeof v === "string");
  const { channels, dropped } = parseChannelParams(raw);
  const session = await currentSession();
  return (
    <ChatApp
      userKey={session?.user.id ?? SIGNED_OUT_USER_KEY}
      initialChannels={channels.length > 0 ? channels : ["home"]}
      droppedChannels={dropped}
    />
  );
}
