import { serverEventsHandlers } from "@/app/_server/handlers";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";
export const maxDuration = 30;

/** ServiceStack's predefined routes, which its official clients call. */
async function handle(request: Request, { params }: { params: Promise<{ operation: string }> }) {
  return serverEventsHandlers.service(request, (await params).operation);
}

export { handle as GET, handle as POST };
