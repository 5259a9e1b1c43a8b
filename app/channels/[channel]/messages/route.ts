import { channelService } from "@/lib/next/handlers";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const GET = channelService("GetChatHistory");
