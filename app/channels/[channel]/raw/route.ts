import { channelService } from "@/app/_server/handlers";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";
export const maxDuration = 30;

export const POST = channelService("PostRawToChannel");
