import { serverEventsHandlers } from "@/app/_server/handlers";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";
export const maxDuration = 30;

export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  return serverEventsHandlers.updateSubscriber(request, (await params).id);
}
