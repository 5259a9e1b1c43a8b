import type { Metadata } from "next";
import { auth } from "@/auth";
import { ChatApp } from "./_components/chat-app";

export const metadata: Metadata = { title: "Chat · Server Events" };

const channelPattern = /^[A-Za-z0-9_.:-]{1,64}$/u;

type SearchParams = Record<string, string | string[] | undefined>;

/** `/chat?channels=home,lobby`: the channels to join (default `home`). */
export default async function ChatPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await searchParams;
  const raw = [params.channels, params.channel].flat().filter((v) => typeof v === "string");
  const channels = [...new Set(raw.flatMap((v) => v.split(",")).map((c) => c.trim()))].filter((c) =>
    channelPattern.test(c),
  );
  const session = await auth();
  return (
    <ChatApp
      userKey={session?.user.id ?? "guest"}
      initialChannels={channels.length > 0 ? channels : ["home"]}
    />
  );
}
