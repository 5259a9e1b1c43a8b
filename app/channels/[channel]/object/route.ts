import { channelService } from "@/lib/next/handlers";

export const dynamic = "force-dynamic";

export const POST = channelService("PostObjectToChannel");
