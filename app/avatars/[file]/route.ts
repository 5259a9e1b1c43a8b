import { handleAvatar } from "@/lib/next/avatars";

export const runtime = "nodejs";
export const maxDuration = 30;

export async function GET(_request: Request, { params }: { params: Promise<{ file: string }> }) {
  return handleAvatar((await params).file);
}
