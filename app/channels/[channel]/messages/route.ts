import { channelService } from "@/lib/next/handlers";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";
export const maxDuration = 30;

export const GET = channelService("GetChatHistory");
